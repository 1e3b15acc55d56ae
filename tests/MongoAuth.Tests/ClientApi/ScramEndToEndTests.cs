using MongoAuth.Tests.Support;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Scram;
using MongoDB.Bson;

namespace MongoAuth.Tests.ClientApi;

/// <summary>
/// The engine with the real SCRAM mechanisms (registered as built-ins) against the server half of SCRAM behind the
/// scripted server: negotiation, speculation, the client-wide key cache, and every SCRAM failure path.
/// </summary>
public sealed class ScramEndToEndTests
{
    private const string Password = "correct horse battery staple";

    private static ScramServerMechanism ServerHalf(string mechanism, int? iterations = null) =>
        new(mechanism, (db, user, m) => db == "admin" && user == "alice"
            ? new ScramAccount(new AuthenticatedUser("alice", "admin", [new GrantedRole("readWrite", "app")]), ScramStoredCredential.Create(m, user, Password, iterations))
            : null);

    private static MongoClientSettings Settings(ScriptedServer server, string? mechanism, string password = Password) =>
        new()
        {
            Servers = [server.Address],
            Credential = TestSettings.Credential(mechanism, "alice", password, "admin"),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            SocketTimeout = TimeSpan.FromSeconds(10),
        };

    [Theory, BothModes]
    public async Task Negotiated_SCRAM_SHA_256_authenticates_speculatively_and_reports_the_identity(Mode mode)
    {
        var bridge = new SaslServerBridge(ServerHalf("SCRAM-SHA-1"), ServerHalf("SCRAM-SHA-256"));
        await using var server = new ScriptedServer(bridge.Handle);
        await using var client = new MongoClient(Settings(server, mechanism: null));

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal("alice@admin [readWrite@app]", status.ToString());
        Assert.Equal(["isMaster", "saslContinue", "connectionStatus"], server.CommandNames);
        Assert.Equal("SCRAM-SHA-256", server.Requests[0].Command["speculativeAuthenticate"]["mechanism"].AsString);
        Assert.Equal("admin.alice", server.Requests[0].Command["saslSupportedMechs"].AsString);
    }

    [Theory, BothModes]
    public async Task A_connection_string_is_all_it_takes(Mode mode)
    {
        var bridge = new SaslServerBridge(ServerHalf("SCRAM-SHA-256"));
        await using var server = new ScriptedServer(bridge.Handle);
        var uri = $"mongodb://alice:{Uri.EscapeDataString(Password)}@127.0.0.1:{server.Port}/app?authSource=admin&authMechanism=SCRAM-SHA-256&appname=e2e";
        await using var client = new MongoClient(uri);

        var reply = await client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1));
        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal("ping", reply["echo"].AsString);
        Assert.Equal("alice@admin [readWrite@app]", status.ToString());
        Assert.Equal("e2e", server.Requests[0].Command["client"]["application"]["name"].AsString);
    }

    [Theory, BothModes]
    public async Task Negotiation_falls_back_to_SCRAM_SHA_1_when_the_server_does_not_list_SHA_256(Mode mode)
    {
        var bridge = new SaslServerBridge(ServerHalf("SCRAM-SHA-1")) { SupportedMechanisms = ["SCRAM-SHA-1"] };
        await using var server = new ScriptedServer(bridge.Handle);
        await using var client = new MongoClient(Settings(server, mechanism: null));

        await client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1));

        var start = server.Requests.Single(r => r.Name == "saslStart");
        Assert.Equal("SCRAM-SHA-1", start.Command["mechanism"].AsString);
    }

    [Theory, BothModes]
    public async Task Wrong_password_names_mechanism_user_and_source_but_never_the_password(Mode mode)
    {
        var bridge = new SaslServerBridge(ServerHalf("SCRAM-SHA-256"));
        await using var server = new ScriptedServer(bridge.Handle);
        await using var client = new MongoClient(Settings(server, "SCRAM-SHA-256", password: "wrong-password-123"));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1)));

        Assert.Contains("SCRAM-SHA-256", error.Message);
        Assert.Contains("'alice'", error.Message);
        Assert.Contains("'admin'", error.Message);
        Assert.Equal(18, error.ServerErrorCode);
        Assert.DoesNotContain("wrong-password-123", error.ToString());
    }

    [Theory]
    [InlineData(Mode.Sync, "tampered signature")]
    [InlineData(Mode.Async, "tampered signature")]
    [InlineData(Mode.Sync, "unprefixed nonce")]
    [InlineData(Mode.Async, "unprefixed nonce")]
    [InlineData(Mode.Sync, "1000 iterations")]
    [InlineData(Mode.Async, "1000 iterations")]
    public async Task The_client_refuses_a_misbehaving_server(Mode mode, string fault)
    {
        var half = ServerHalf("SCRAM-SHA-256");
        half.TestOptions = fault switch
        {
            "tampered signature" => new ScramServerTestOptions { TamperServerSignature = true },
            "unprefixed nonce" => new ScramServerTestOptions { UnprefixedServerNonce = true },
            _ => new ScramServerTestOptions { AdvertisedIterationCount = 1000 },
        };
        await using var server = new ScriptedServer(new SaslServerBridge(half).Handle);
        await using var client = new MongoClient(Settings(server, "SCRAM-SHA-256"));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1)));

        Assert.Contains("SCRAM-SHA-256", error.Message);
        Assert.DoesNotContain("ping", server.CommandNames);
        Assert.DoesNotContain(Password, error.ToString());
    }

    [Fact]
    public async Task Every_connection_of_a_client_authenticates_with_the_same_mechanism_instance()
    {
        var bridge = new SaslServerBridge(ServerHalf("SCRAM-SHA-256"));
        await using var server = new ScriptedServer(bridge.Handle);
        var created = 0;
        var settings = Settings(server, "SCRAM-SHA-256");
        var registry = MongoAuth.Authentication.MechanismRegistry.Default.WithMechanism("SCRAM-SHA-256", (credential, _) =>
        {
            Interlocked.Increment(ref created);
            return new MongoAuth.Authentication.Scram.ScramSha256Mechanism(credential);
        });
        await using var client = new MongoClient(settings with { Mechanisms = registry, MaxConnecting = 4 });
        var database = client.GetDatabase("app");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => database.RunCommandIn(Mode.Async, new BsonDocument("ping", 1))));

        Assert.Equal(1, created);
        Assert.Equal(4, server.CommandNames.Count(n => n == "ping"));
    }
}
