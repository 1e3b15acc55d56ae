using System.Net;
using System.Net.Sockets;
using MongoAuth.Authentication.Gssapi;
using MongoAuth.Operations;

namespace MongoAuth.Tests.Gssapi;

/// <summary>DNS for canonicalization tests: fixed answers, and a failure for any name or address not listed.</summary>
internal sealed class StubHostResolver : IKerberosHostResolver
{
    public Dictionary<string, KerberosHostEntry> Forward { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<IPAddress, string> Reverse { get; } = [];

    public List<string> Lookups { get; } = [];

    /// <summary>The modes the lookups ran in (true = asynchronous), in order.</summary>
    public List<bool> Modes { get; } = [];

    public ValueTask<KerberosHostEntry> ResolveAsync(string host, OperationContext context)
    {
        Lookups.Add("forward " + host);
        Modes.Add(context.IsAsync);
        return Forward.TryGetValue(host, out var entry)
            ? ValueTask.FromResult(entry)
            : ValueTask.FromException<KerberosHostEntry>(new SocketException((int)SocketError.HostNotFound));
    }

    public ValueTask<string> ReverseAsync(IPAddress address, OperationContext context)
    {
        Lookups.Add("reverse " + address);
        Modes.Add(context.IsAsync);
        return Reverse.TryGetValue(address, out var name)
            ? ValueTask.FromResult(name)
            : ValueTask.FromException<string>(new SocketException((int)SocketError.HostNotFound));
    }
}
