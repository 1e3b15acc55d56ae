using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.Authentication.Aws;

namespace MongoAuth.Tests.Aws;

/// <summary>
/// The test side of the credential chain's HTTP seam: the fixed spec hosts (169.254.169.254:80, 169.254.170.2:80,
/// sts.amazonaws.com:443) are mapped to loopback fakes, 127.0.0.1 is reached as itself, and every other host is refused
/// before a socket opens. The request keeps its real URL and Host header, so the fakes see exactly what production
/// would send. TLS is trusted only for the test CA (custom root trust), host name still checked.
/// </summary>
internal static class AwsTestSeam
{
    public const string Imds = "169.254.169.254";
    public const string Ecs = "169.254.170.2";
    public const string Sts = "sts.amazonaws.com";

    public static AwsHttp Http(IReadOnlyDictionary<(string Host, int Port), int> map, X509Certificate2? trustedRoot = null) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        ConnectCallback = async (context, token) =>
        {
            var host = context.DnsEndPoint.Host;
            int port;
            if (host == "127.0.0.1")
            {
                port = context.DnsEndPoint.Port;
            }
            else if (!map.TryGetValue((host, context.DnsEndPoint.Port), out port))
            {
                throw new HttpRequestException($"test seam: no loopback mapping for {host}:{context.DnsEndPoint.Port}");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port, token);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => trustedRoot is not null && certificate is not null
                && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && ChainsTo(new X509Certificate2(certificate), trustedRoot),
        },
    });

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}

/// <summary>Environment variables and files in memory: the test process's own environment is never read or changed.</summary>
internal sealed class FakeAwsEnvironment : IAwsEnvironment
{
    public Dictionary<string, string> Variables { get; } = [];

    public Dictionary<string, string> Files { get; } = [];

    public string? Variable(string name) => Variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public ValueTask<string> ReadFileAsync(string path, bool isAsync, CancellationToken cancellationToken) =>
        Files.TryGetValue(path, out var text) ? ValueTask.FromResult(text) : throw new FileNotFoundException($"Could not find file '{path}'.");

    public FakeAwsEnvironment With(string name, string value)
    {
        Variables[name] = value;
        return this;
    }
}

/// <summary>A clock the test moves.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
