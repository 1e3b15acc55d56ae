using System.Net;

namespace MongoAuth.Authentication.Gssapi;

/// <summary>A forward lookup: the canonical name (CNAMEs followed) and the addresses.</summary>
/// <param name="CanonicalName">The name at the end of the CNAME chain.</param>
/// <param name="Addresses">The addresses, in the resolver's order.</param>
internal sealed record KerberosHostEntry(string CanonicalName, IReadOnlyList<IPAddress> Addresses);

/// <summary>The DNS lookups CANONICALIZE_HOST_NAME needs; tests replace it.</summary>
internal interface IKerberosHostResolver
{
    /// <summary>Resolves <paramref name="host"/>, following CNAMEs.</summary>
    Task<KerberosHostEntry> ResolveAsync(string host, CancellationToken cancellationToken);

    /// <summary>The reverse (PTR) name of <paramref name="address"/>.</summary>
    Task<string> ReverseAsync(IPAddress address, CancellationToken cancellationToken);
}

/// <summary>The system resolver (getaddrinfo with canonical name, getnameinfo).</summary>
internal sealed class SystemKerberosHostResolver : IKerberosHostResolver
{
    public static SystemKerberosHostResolver Instance { get; } = new();

    public async Task<KerberosHostEntry> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        // An address has no canonical name: Dns.GetHostEntryAsync would answer with its reverse name instead, which
        // would make "forward" behave like "forwardAndReverse".
        if (IPAddress.TryParse(host, out var address))
        {
            return new KerberosHostEntry(host, [address]);
        }

        var entry = await Dns.GetHostEntryAsync(host, cancellationToken).ConfigureAwait(false);
        return new KerberosHostEntry(entry.HostName, entry.AddressList);
    }

    public async Task<string> ReverseAsync(IPAddress address, CancellationToken cancellationToken)
    {
        var entry = await Dns.GetHostEntryAsync(address.ToString(), cancellationToken).ConfigureAwait(false);
        return entry.HostName;
    }
}
