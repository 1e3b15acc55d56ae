using System.Security.Cryptography.X509Certificates;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Tls;

namespace MongoAuth.Tests.Support;

/// <summary>
/// The in-process test server over TLS (a throwaway loopback certificate) with one SCRAM-SHA-256 user, and the
/// settings that reach it by name ("localhost", so the certificate's name is checked): the set-up of the log and
/// telemetry tests, which watch what one real TLS + SCRAM connection reports.
/// </summary>
internal sealed class TlsScramServer : IAsyncDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly string _password;

    private TlsScramServer(X509Certificate2 certificate, MongoTestServer server, string password)
    {
        _certificate = certificate;
        Server = server;
        _password = password;
    }

    public MongoTestServer Server { get; }

    public int Port => Server.Port;

    /// <summary>Starts the server with user <c>demo</c> (admin, readWrite on app) whose password is <paramref name="password"/>.</summary>
    public static async Task<TlsScramServer> StartAsync(string password)
    {
        var certificate = SelfSignedCertificate.CreateForLoopback();
        var server = await MongoTestServer.StartAsync(new TestServerOptions { TlsCertificate = certificate }, CancellationToken.None);
        server.Users.AddScramUser("admin", "demo", password, [new GrantedRole("readWrite", "app")]);
        return new TlsScramServer(certificate, server, password);
    }

    /// <summary>Settings for <c>demo</c>, with the right password unless <paramref name="password"/> says otherwise.</summary>
    public MongoClientSettings Settings(string? password = null) => new()
    {
        Servers = [new MongoServerAddress("localhost", Port)],
        UseTls = true,
        Tls = new MongoTlsSettings { TrustedRoots = [_certificate] },
        Credential = MongoCredential.CreateScramSha256Credential("admin", "demo", password ?? _password),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        SocketTimeout = TimeSpan.FromSeconds(10),
        ServerSelectionTimeout = TimeSpan.FromSeconds(5),
    };

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _certificate.Dispose();
    }
}
