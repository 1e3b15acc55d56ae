using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.Extensions.Logging;
using MongoAuth.Diagnostics;
using MongoAuth.Tests.ConnectionStrings;
using MongoAuth.Tests.Support;
using MongoDB.Bson;

namespace MongoAuth.Tests.Diagnostics;

/// <summary>
/// The source-generated logs against the in-process test server over TLS: each event with its stable id, level and
/// structured values, in both modes.
/// </summary>
public sealed class LogTests : IAsyncLifetime
{
    private const string Password = "log-test-pass-1234";

    private TlsScramServer _server = null!;

    public async Task InitializeAsync() => _server = await TlsScramServer.StartAsync(Password);

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private MongoClientSettings Settings(ListLogger logger, string password = Password) => _server.Settings(password) with { LoggerFactory = new ListLoggerFactory(logger) };

    [Theory, BothModes]
    public async Task A_new_connection_logs_its_TLS_protocol_and_cipher_and_the_authentication(Mode mode)
    {
        var logger = new ListLogger();
        await using (var client = new MongoClient(Settings(logger)))
        {
            await client.PingIn(mode);
        }

        var established = Assert.Single(logger.Entries, e => e.EventId.Id == 100);
        Assert.Equal("ConnectionEstablished", established.EventId.Name);
        Assert.Equal(LogLevel.Debug, established.Level);
        Assert.Contains(established.Value("TlsProtocol"), new object[] { "1.2", "1.3" });
        Assert.StartsWith("TLS_", (string)established.Value("TlsCipher")!, StringComparison.Ordinal);
        Assert.Equal($"localhost:{_server.Port}", established.Value("Server"));
        var authenticated = Assert.Single(logger.Entries, e => e.EventId.Id == 200);
        Assert.Equal("SCRAM-SHA-256", authenticated.Value("Mechanism"));
        Assert.Equal("demo", authenticated.Value("User"));
        Assert.Equal("admin", authenticated.Value("AuthSource"));
        Assert.Equal(true, authenticated.Value("Speculative"));
        Assert.True((double)authenticated.Value("DurationMs")! >= 0);
        Assert.DoesNotContain(logger.Entries, e => e.EventId.Id is 201 or 300 or 500);
    }

    [Theory, BothModes]
    public async Task A_failed_authentication_is_a_warning_with_step_and_server_code_then_the_pool_is_cleared(Mode mode)
    {
        var logger = new ListLogger();
        await using var client = new MongoClient(Settings(logger, password: "wrong-pass-4321"));

        await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.PingIn(mode));

        var failed = Assert.Single(logger.Entries, e => e.EventId.Id == 201);
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Equal("SCRAM-SHA-256", failed.Value("Mechanism"));
        Assert.Equal("demo", failed.Value("User"));
        Assert.Equal("admin", failed.Value("AuthSource"));
        Assert.Equal(18, failed.Value("ServerCode"));
        Assert.Equal(true, failed.Value("Speculative"));
        Assert.StartsWith("saslContinue", (string)failed.Value("Step")!, StringComparison.Ordinal);
        var cleared = Assert.Single(logger.Entries, e => e.EventId.Id == 300);
        Assert.Equal(LogLevel.Information, cleared.Level);
        var commandFailed = Assert.Single(logger.Entries, e => e.EventId.Id == 500);
        Assert.Equal("ping", commandFailed.Value("Command"));
        Assert.Equal("18", commandFailed.Value("ErrorType"));
        LogAssert.FailureLoggedWithoutSecrets(logger, "wrong-pass-4321", Password);
    }

    [Theory, BothModes]
    public async Task A_refused_command_logs_command_failed_with_the_server_code(Mode mode)
    {
        var logger = new ListLogger();
        await using var client = new MongoClient(Settings(logger));

        await Assert.ThrowsAsync<MongoCommandException>(() => client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("noSuchCommand", 1)));

        var failed = Assert.Single(logger.Entries, e => e.EventId.Id == 500);
        Assert.Equal("CommandFailed", failed.EventId.Name);
        Assert.Equal("noSuchCommand", failed.Value("Command"));
        Assert.Equal("app", failed.Value("Database"));
        Assert.Equal("59", failed.Value("ErrorType"));
    }

    [Theory, BothModes]
    public async Task Server_selection_says_once_that_it_is_waiting_while_no_server_can_be_reached(Mode mode)
    {
        var logger = new ListLogger();
        var closed = ClosedPort();
        var settings = Settings(logger) with
        {
            Servers = [new MongoServerAddress("localhost", closed)],
            ServerSelectionTimeout = TimeSpan.FromMilliseconds(800),
        };
        await using var client = new MongoClient(settings);

        await Assert.ThrowsAnyAsync<MongoException>(() => client.PingIn(mode));

        var waiting = Assert.Single(logger.Entries, e => e.EventId.Id == 400);
        Assert.Equal(LogLevel.Information, waiting.Level);
        Assert.Contains($"localhost:{closed}", (string)waiting.Value("Topology")!, StringComparison.Ordinal);
        Assert.Equal("serverSelectionTimeoutMS", waiting.Value("TimeoutOption"));
    }

    [Fact]
    public void Event_ids_are_unique()
    {
        var ids = typeof(LogEventIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (int)f.GetValue(null)!).ToList();

        Assert.True(ids.Count >= 9);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [InlineData("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")] // a SCRAM client-final message
    [InlineData("token YIICljCCApKgAwIBBaEDAgEOogcDBQAgAAAAo4IBl2GCAZMwggGPoAMCAQWhDRsLRVhBTVBMRS5DT00=")] // a GSSAPI token
    [InlineData("signature 9e107d9d372bb6826bd81d3542a419d6e4a0f4cbd1c4f7a2e9f0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5")] // hex
    [InlineData("the password is hunter2-secret")]
    public void The_secret_check_catches_secrets_and_encoded_material(string leaked)
    {
        var logger = new ListLogger();
        logger.Log(LogLevel.Warning, new EventId(201), leaked, null, (state, _) => state);

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => LogAssert.FailureLoggedWithoutSecrets(logger, "hunter2-secret"));
    }

    [Fact]
    public void The_secret_check_passes_names_paths_and_thumbprints()
    {
        var logger = new ListLogger();
        logger.Log(LogLevel.Warning, new EventId(201),
            "Authentication with MONGODB-X509 failed for user 'CN=client,OU=eng' at /work/wt/devx/src/MongoAuth/Connections/ConnectionFactory.cs:line 63, thumbprint 3B1EFD3A66EA28B16697394703A72CA340A05BD5",
            null, (state, _) => state);

        LogAssert.FailureLoggedWithoutSecrets(logger, "hunter2-secret");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
