using System.Security.Cryptography.X509Certificates;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Tls;

namespace MongoAuth.Cli.Commands;

/// <summary>
/// The in-process dev server of <c>check</c> (no URI) and <c>serve</c>: the test server on loopback with TLS (a
/// throwaway self-signed certificate made now) and a SCRAM demo user, plus the client settings that reach it
/// (SCRAM-SHA-256, that certificate as the only trusted root, host name checked).
/// </summary>
internal sealed class EmbeddedServer : IAsyncDisposable
{
    public const string DemoUser = "demo";

    // A demo password for a throwaway loopback server that lives only as long as this process.
    public const string DemoPassword = "demo-password";

    private readonly MongoTestServer _server;
    private readonly X509Certificate2 _certificate;

    private EmbeddedServer(MongoTestServer server, X509Certificate2 certificate)
    {
        _server = server;
        _certificate = certificate;
        ClientSettings = new MongoClientSettings
        {
            Servers = [new MongoServerAddress("localhost", server.Port)],
            UseTls = true,
            Tls = new MongoTlsSettings { TrustedRoots = [certificate] },
            Credential = MongoCredential.CreateScramSha256Credential("admin", DemoUser, DemoPassword),
        };
    }

    public MongoClientSettings ClientSettings { get; }

    public static async Task<EmbeddedServer> StartAsync(CancellationToken cancellationToken)
    {
        var certificate = SelfSignedCertificate.CreateForLoopback();
        try
        {
            var server = await MongoTestServer.StartAsync(new TestServerOptions { TlsCertificate = certificate }, cancellationToken).ConfigureAwait(false);
            server.Users.AddScramUser("admin", DemoUser, DemoPassword, [new GrantedRole("readWrite", "app")]);
            return new EmbeddedServer(server, certificate);
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync().ConfigureAwait(false);
        _certificate.Dispose();
    }
}
