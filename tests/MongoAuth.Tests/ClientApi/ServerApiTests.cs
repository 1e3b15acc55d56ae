using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.ClientApi;

/// <summary>
/// The Stable API setting: every command carries the declared version, the handshake is hello, and the test server
/// enforces strict mode as mongod does (code 323 for a command outside version 1).
/// </summary>
public sealed class ServerApiTests
{
    private const string Password = "stable-api-pw-58";

    private static async Task<MongoTestServer> StartServerAsync()
    {
        var server = await MongoTestServer.StartAsync(new TestServerOptions(), CancellationToken.None);
        server.Users.AddScramUser("admin", "app", Password, [new GrantedRole("readWrite", "shop")]);
        return server;
    }

    private static MongoClientSettings Settings(int port, ServerApi? api) => new()
    {
        Servers = [new MongoServerAddress("127.0.0.1", port, MongoHostKind.IPv4)],
        Credential = MongoCredential.CreateCredential("admin", "app", Password),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ServerApi = api,
    };

    [Theory, BothModes]
    public async Task A_strict_client_handshakes_with_hello_authenticates_and_is_refused_outside_version_1(Mode mode)
    {
        await using var server = await StartServerAsync();
        await using var client = new MongoClient(Settings(server.Port, ServerApi.V1 with { Strict = true, DeprecationErrors = true }));

        var ping = await client.PingIn(mode);
        var refused = await Assert.ThrowsAsync<MongoCommandException>(() => client.GetConnectionStatusIn(mode));

        Assert.Equal(1, ping["ok"].ToInt32());
        Assert.Equal(323, refused.Code);
        Assert.True(server.Statistics.CommandsReceived("hello") >= 1);
        Assert.Equal(0, server.Statistics.CommandsReceived("isMaster"));
    }

    [Theory, BothModes]
    public async Task Without_a_declared_version_the_legacy_handshake_and_any_command_run(Mode mode)
    {
        await using var server = await StartServerAsync();
        await using var client = new MongoClient(Settings(server.Port, api: null));

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal("app@admin [readWrite@shop]", status.ToString());
        Assert.Equal(0, server.Statistics.CommandsReceived("hello"));
        Assert.True(server.Statistics.CommandsReceived("isMaster") >= 1);
    }

    [Theory, BothModes]
    public async Task Every_command_carries_the_declared_parameters(Mode mode)
    {
        await using var server = new ScriptedServer(r => FakeSaslServer.Handle(r));
        var mechanism = new FakeSaslMechanism();
        await using var client = new MongoClient(TestSettings.For(server, mechanism) with { ServerApi = ServerApi.V1 with { Strict = false } });

        await client.PingIn(mode);

        Assert.Contains("hello", server.CommandNames);
        Assert.Contains("saslStart", server.CommandNames);
        Assert.Contains("ping", server.CommandNames);
        Assert.All(server.Requests, r =>
        {
            Assert.Equal("1", r.Command["apiVersion"].AsString);
            Assert.False(r.Command["apiStrict"].AsBoolean);
            Assert.False(r.Command.Contains("apiDeprecationErrors"), r.Name);
        });
    }

    [Fact]
    public void A_version_is_required()
    {
        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(Settings(27017, new ServerApi(" "))));

        Assert.Equal("serverApi", error.OptionName);
    }
}
