using MongoAuth.Pooling;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.FailPoints;
using MongoAuth.TestServer.Tls;
using MongoDB.Bson;

using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.ClientApi;

/// <summary>The client against the in-process test server over TLS: the path the README's run command takes.</summary>
public sealed class TestServerEndToEndTests
{
    private const string Password = "pencil-sharpener-42";

    private static async Task<(MongoTestServer Server, MongoClientSettings Settings)> StartAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var server = await MongoTestServer.StartAsync(new TestServerOptions { TlsCertificate = certificate }, CancellationToken.None);
        server.Users.AddScramUser("admin", "demo", Password, [new GrantedRole("readWrite", "app")]);
        var settings = new MongoClientSettings
        {
            Servers = [new MongoServerAddress("localhost", server.Port)],
            UseTls = true,
            Tls = new MongoTlsSettings { TrustedRoots = [certificate] },
            Credential = MongoCredential.CreateCredential("admin", "demo", Password),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            SocketTimeout = TimeSpan.FromSeconds(10),
        };
        return (server, settings);
    }

    [Theory, BothModes]
    public async Task Negotiated_SCRAM_over_TLS_reports_the_identity(Mode mode)
    {
        using var certificate = SelfSignedCertificate.CreateForLoopback();
        var (server, settings) = await StartAsync(certificate);
        await using var _ = server;
        await using var client = new MongoClient(settings);

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal("demo@admin [readWrite@app]", status.ToString());
    }

    [Theory, BothModes]
    public async Task Each_API_connects_handshakes_and_authenticates_on_its_own_path(Mode mode)
    {
        using var certificate = SelfSignedCertificate.CreateForLoopback();
        var (server, settings) = await StartAsync(certificate);
        await using var _ = server;
        await using var client = new MongoClient(settings);

        var reply = await client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("connectionStatus", 1));

        Assert.Equal("demo", reply["authInfo"]["authenticatedUsers"][0]["user"].AsString);
    }

    [Theory, BothModes]
    public async Task A_connection_closed_during_saslContinue_is_discarded_and_the_next_operation_succeeds(Mode mode)
    {
        using var certificate = SelfSignedCertificate.CreateForLoopback();
        var (server, settings) = await StartAsync(certificate);
        await using var _ = server;
        server.FailPoints.Set(new FailCommand { Commands = ["saslContinue"], Times = 1, CloseConnection = true });
        var closed = 0;
        var cleared = 0;
        await using var client = new MongoClient(settings with
        {
            ConnectionPoolEventHandler = e =>
            {
                if (e is ConnectionClosedEvent { Reason: ConnectionClosedReason.Error })
                {
                    Interlocked.Increment(ref closed);
                }
                if (e is PoolClearedEvent)
                {
                    Interlocked.Increment(ref cleared);
                }
            },
        });
        var database = client.GetDatabase("app");

        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => database.RunCommandIn(mode, new BsonDocument("ping", 1)));
        var reply = await database.RunCommandIn(mode, new BsonDocument("ping", 1));

        Assert.Contains("saslContinue", error.Message);
        Assert.Equal(1, reply["ok"].ToInt32());
        Assert.Equal(1, closed);
        Assert.Equal(1, cleared);
    }

    [Theory, BothModes]
    public async Task A_wrong_password_is_reported_with_the_servers_code(Mode mode)
    {
        using var certificate = SelfSignedCertificate.CreateForLoopback();
        var (server, settings) = await StartAsync(certificate);
        await using var _ = server;
        await using var client = new MongoClient(settings with { Credential = MongoCredential.CreateScramSha256Credential("admin", "demo", "not-the-password") });

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1)));

        Assert.Equal(18, error.ServerErrorCode);
        Assert.Contains("SCRAM-SHA-256", error.Message);
        Assert.Contains("'demo'", error.Message);
        Assert.DoesNotContain("not-the-password", error.ToString());
    }
}
