using System.Net;
using MongoAuth.Operations;

namespace MongoAuth.Authentication.Gssapi;

/// <summary>A forward lookup: the canonical name (CNAMEs followed) and the addresses.</summary>
/// <param name="CanonicalName">The name at the end of the CNAME chain.</param>
/// <param name="Addresses">The addresses, in the resolver's order.</param>
internal sealed record KerberosHostEntry(string CanonicalName, IReadOnlyList<IPAddress> Addresses);

/// <summary>The DNS lookups CANONICALIZE_HOST_NAME needs, synchronous or not as the context says; tests replace it.</summary>
internal interface IKerberosHostResolver
{
    /// <summary>Resolves <paramref name="host"/>, following CNAMEs.</summary>
    ValueTask<KerberosHostEntry> ResolveAsync(string host, OperationContext context);

    /// <summary>The reverse (PTR) name of <paramref name="address"/>.</summary>
    ValueTask<string> ReverseAsync(IPAddress address, OperationContext context);
}

/// <summary>The system resolver (getaddrinfo with canonical name, getnameinfo).</summary>
internal sealed class SystemKerberosHostResolver : IKerberosHostResolver
{
    public static SystemKerberosHostResolver Instance { get; } = new();

    public async ValueTask<KerberosHostEntry> ResolveAsync(string host, OperationContext context)
    {
        // An address has no canonical name: Dns.GetHostEntry would answer with its reverse name instead, which
        // would make "forward" behave like "forwardAndReverse".
        if (IPAddress.TryParse(host, out var address))
        {
            return new KerberosHostEntry(host, [address]);
        }

        var entry = context.IsAsync
            ? await Dns.GetHostEntryAsync(host, context.CancellationToken).ConfigureAwait(false)
            : BlockingDns.GetHostEntry(host, "Kerberos host name lookup", context);
        return new KerberosHostEntry(entry.HostName, entry.AddressList);
    }

    public async ValueTask<string> ReverseAsync(IPAddress address, OperationContext context)
    {
        var entry = context.IsAsync
            ? await Dns.GetHostEntryAsync(address.ToString(), context.CancellationToken).ConfigureAwait(false)
            : BlockingDns.GetHostEntry(address.ToString(), "Kerberos reverse lookup", context);
        return entry.HostName;
    }
}
