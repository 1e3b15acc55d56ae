using System.Net;
using System.Net.Sockets;
using MongoAuth.Authentication.Gssapi;

namespace MongoAuth.Tests.Gssapi;

/// <summary>DNS for canonicalization tests: fixed answers, and a failure for any name or address not listed.</summary>
internal sealed class StubHostResolver : IKerberosHostResolver
{
    public Dictionary<string, KerberosHostEntry> Forward { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<IPAddress, string> Reverse { get; } = [];

    public List<string> Lookups { get; } = [];

    public Task<KerberosHostEntry> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Lookups.Add("forward " + host);
        return Forward.TryGetValue(host, out var entry)
            ? Task.FromResult(entry)
            : Task.FromException<KerberosHostEntry>(new SocketException((int)SocketError.HostNotFound));
    }

    public Task<string> ReverseAsync(IPAddress address, CancellationToken cancellationToken)
    {
        Lookups.Add("reverse " + address);
        return Reverse.TryGetValue(address, out var name)
            ? Task.FromResult(name)
            : Task.FromException<string>(new SocketException((int)SocketError.HostNotFound));
    }
}
