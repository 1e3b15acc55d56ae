using System.Net;
using System.Net.Sockets;
using MongoAuth.Authentication.Oidc;

namespace MongoAuth.Tests.Oidc;

/// <summary>
/// The HTTP seam of the built-in environments in tests: requests keep their real URL and Host header (the spec's
/// fixed 169.254.169.254 and <c>metadata</c>), but sockets open only to 127.0.0.1, at the port mapped for that
/// host; any unmapped host is refused before a socket exists. No DNS lookup happens.
/// </summary>
internal static class LoopbackSeam
{
    public static SocketsHttpHandler Handler(IReadOnlyDictionary<(string Host, int Port), int> map) => new()
    {
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            if (!map.TryGetValue((context.DnsEndPoint.Host, context.DnsEndPoint.Port), out var port))
            {
                throw new HttpRequestException($"test seam: no loopback mapping for {context.DnsEndPoint.Host}:{context.DnsEndPoint.Port}");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>A machine with only the given environment variables and files, whose HTTP goes through <paramref name="map"/>.</summary>
    public static OidcHost Host(IReadOnlyDictionary<string, string>? variables = null, IReadOnlyDictionary<string, string>? files = null,
        IReadOnlyDictionary<(string Host, int Port), int>? map = null) =>
        new(Handler(map ?? new Dictionary<(string, int), int>()))
        {
            GetEnvironmentVariable = name => variables?.GetValueOrDefault(name),
            FileExists = path => files?.ContainsKey(path) ?? false,
            ReadAllText = path => files is not null && files.TryGetValue(path, out var text) ? text : throw new FileNotFoundException($"no such file in the test: {path}", path),
        };
}
