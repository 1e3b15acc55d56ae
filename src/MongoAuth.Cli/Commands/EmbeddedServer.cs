namespace MongoAuth.Cli.Commands;

/// <summary>
/// The in-process dev server of <c>check</c> (no URI) and <c>serve</c>: the test server on loopback with TLS and a
/// SCRAM demo user, plus the client settings that reach it (SCRAM-SHA-256, the server's certificate as the only
/// trusted root).
/// </summary>
internal sealed class EmbeddedServer : IAsyncDisposable
{
    public const string DemoUser = "demo";

    // A demo password for a throwaway loopback server that lives only as long as this process.
    public const string DemoPassword = "demo-password";

    private readonly IAsyncDisposable _server;

    private EmbeddedServer(IAsyncDisposable server, MongoClientSettings clientSettings)
    {
        _server = server;
        ClientSettings = clientSettings;
    }

    public MongoClientSettings ClientSettings { get; }

    public static Task<EmbeddedServer> StartAsync(CancellationToken cancellationToken)
    {
        // TODO(merge): the test server (testserver branch) provides MongoTestServer; once merged this becomes:
        //   var certificate = TestServer.Tls.SelfSignedCertificate.CreateForLoopback();
        //   var server = await MongoTestServer.StartAsync(new TestServerOptions { TlsCertificate = certificate }, cancellationToken);
        //   server.Users.AddScramUser("admin", DemoUser, DemoPassword, [new GrantedRole("readWrite", "app")]);
        //   return new EmbeddedServer(server, new MongoClientSettings
        //   {
        //       Servers = [new MongoServerAddress("localhost", server.Port)],
        //       UseTls = true,
        //       Tls = new MongoTlsSettings { TrustedRoots = [certificate] },
        //       Credential = MongoCredential.CreateScramSha256Credential("admin", DemoUser, DemoPassword),
        //   });
        _ = cancellationToken;
        return Task.FromException<EmbeddedServer>(new MongoConfigurationException(
            "The embedded dev server is not available in this build yet; pass a connection string: mongoauth check mongodb://user:password@host/"));
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
