using System.Text;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer;

public sealed class SaslDispatchTests
{
    private static BsonDocument SaslStart(string payload, string mechanism = FakeMechanism.MechanismName) => new()
    {
        { "saslStart", 1 },
        { "mechanism", mechanism },
        { "payload", new BsonBinaryData(Encoding.UTF8.GetBytes(payload)) },
        { "autoAuthorize", 1 },
    };

    private static BsonDocument SaslContinue(BsonValue conversationId, string payload) => new()
    {
        { "saslContinue", 1 },
        { "conversationId", conversationId },
        { "payload", new BsonBinaryData(Encoding.UTF8.GetBytes(payload)) },
    };

    private static async Task<(MongoTestServer Server, FakeMechanism Mechanism)> StartAsync()
    {
        var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        var mechanism = new FakeMechanism("s3cret");
        server.RegisterMechanism(mechanism);
        return (server, mechanism);
    }

    [Fact]
    public async Task A_completed_conversation_authenticates_the_connection_with_its_roles()
    {
        var (server, mechanism) = await StartAsync();
        await using var _ = server;
        await using var client = await RawClient.ConnectAsync(server);

        var start = await client.CommandAsync(SaslStart("alice"), db: "app");
        var done = await client.CommandAsync(SaslContinue(start["conversationId"], "s3cret"), db: "app");
        var status = await client.CommandAsync(new BsonDocument("connectionStatus", 1));
        // "top" is a mongod command that needs authentication (13 before login).
        var afterAuth = await client.CommandAsync(new BsonDocument("top", 1));

        Assert.False(start["done"].AsBoolean);
        Assert.Equal("challenge", Encoding.UTF8.GetString(start["payload"].AsByteArray));
        Assert.True(done["done"].AsBoolean);
        Assert.Equal(start["conversationId"], done["conversationId"]);
        var user = Assert.Single(status["authInfo"]["authenticatedUsers"].AsBsonArray).AsBsonDocument;
        Assert.Equal(new BsonDocument { { "user", "alice" }, { "db", "app" } }, user);
        var role = Assert.Single(status["authInfo"]["authenticatedUserRoles"].AsBsonArray).AsBsonDocument;
        Assert.Equal(new BsonDocument { { "role", "readWrite" }, { "db", "app" } }, role);
        Assert.NotEqual(13, afterAuth.GetValue("code", 0).ToInt32()); // no longer Unauthorized
        Assert.Equal("app", Assert.Single(mechanism.Contexts).Database);
    }

    [Fact]
    public async Task A_wrong_secret_fails_with_AuthenticationFailed_and_ends_the_conversation()
    {
        var (server, _) = await StartAsync();
        await using var _s = server;
        await using var client = await RawClient.ConnectAsync(server);

        var start = await client.CommandAsync(SaslStart("alice"));
        var failed = await client.CommandAsync(SaslContinue(start["conversationId"], "wrong"));
        var again = await client.CommandAsync(SaslContinue(start["conversationId"], "s3cret"));
        var status = await client.CommandAsync(new BsonDocument("connectionStatus", 1));

        Assert.Equal(0.0, failed["ok"].ToDouble());
        Assert.Equal(18, failed["code"].ToInt32());
        Assert.Equal("AuthenticationFailed", failed["codeName"].AsString);
        Assert.Equal("Authentication failed.", failed["errmsg"].AsString);
        Assert.Equal(17, again["code"].ToInt32());
        Assert.Empty(status["authInfo"]["authenticatedUsers"].AsBsonArray);
    }

    [Fact]
    public async Task An_unregistered_mechanism_is_MechanismUnavailable()
    {
        var (server, _) = await StartAsync();
        await using var _s = server;
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(SaslStart("x", mechanism: "NOPE"));

        Assert.Equal(334, reply["code"].ToInt32());
        Assert.Equal("MechanismUnavailable", reply["codeName"].AsString);
    }

    [Fact]
    public async Task SaslContinue_with_an_unknown_conversation_is_a_ProtocolError()
    {
        var (server, _) = await StartAsync();
        await using var _s = server;
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(SaslContinue(42, "s3cret"));

        Assert.Equal(17, reply["code"].ToInt32());
        Assert.Equal("ProtocolError", reply["codeName"].AsString);
    }

    [Fact]
    public async Task SaslStart_without_a_binary_payload_is_BadValue()
    {
        var (server, _) = await StartAsync();
        await using var _s = server;
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(new BsonDocument
        {
            { "saslStart", 1 }, { "mechanism", FakeMechanism.MechanismName }, { "payload", 12 },
        });

        Assert.Equal(2, reply["code"].ToInt32());
    }

    [Fact]
    public async Task SkipEmptyExchange_reaches_the_mechanism()
    {
        var (server, mechanism) = await StartAsync();
        await using var _s = server;
        await using var client = await RawClient.ConnectAsync(server);

        var withOption = SaslStart("alice");
        withOption["options"] = new BsonDocument("skipEmptyExchange", true);
        await client.CommandAsync(withOption);
        await client.CommandAsync(SaslStart("bob"));

        Assert.Equal([true, false], mechanism.Contexts.Select(c => c.SkipEmptyExchange));
        Assert.All(mechanism.Contexts, c => Assert.False(c.IsTls));
    }

    [Fact]
    public async Task Speculative_saslStart_in_hello_is_answered_and_continues_with_saslContinue()
    {
        var (server, _) = await StartAsync();
        await using var _s = server;
        await using var client = await RawClient.ConnectAsync(server);
        var speculative = SaslStart("alice");
        speculative["db"] = "app";

        var hello = await client.CommandAsync(new BsonDocument { { "hello", 1 }, { "speculativeAuthenticate", speculative } });
        var first = hello["speculativeAuthenticate"].AsBsonDocument;
        var done = await client.CommandAsync(SaslContinue(first["conversationId"], "s3cret"), db: "app");
        var status = await client.CommandAsync(new BsonDocument("connectionStatus", 1));

        Assert.Equal(1.0, hello["ok"].ToDouble());
        Assert.False(first["done"].AsBoolean);
        Assert.Equal("challenge", Encoding.UTF8.GetString(first["payload"].AsByteArray));
        Assert.True(done["done"].AsBoolean);
        Assert.Equal("app", status["authInfo"]["authenticatedUsers"][0]["db"].AsString);
    }

    [Fact]
    public async Task A_failing_speculative_attempt_is_left_out_of_hello()
    {
        var (server, _) = await StartAsync();
        await using var _s = server;
        await using var client = await RawClient.ConnectAsync(server);
        var speculative = SaslStart("alice", mechanism: "NOPE");
        speculative["db"] = "app";

        var hello = await client.CommandAsync(new BsonDocument { { "hello", 1 }, { "speculativeAuthenticate", speculative } });

        Assert.Equal(1.0, hello["ok"].ToDouble());
        Assert.False(hello.Contains("speculativeAuthenticate"));
    }

    [Fact]
    public async Task Authenticate_runs_the_registered_handler_and_refuses_unknown_mechanisms()
    {
        var (server, _) = await StartAsync();
        await using var _s = server;
        server.RegisterAuthenticateHandler(new FixedHandler());
        await using var client = await RawClient.ConnectAsync(server);

        var unknown = await client.CommandAsync(new BsonDocument { { "authenticate", 1 }, { "mechanism", "OTHER" } }, "$external");
        var reply = await client.CommandAsync(new BsonDocument { { "authenticate", 1 }, { "mechanism", "FIXED" } }, "$external");
        var status = await client.CommandAsync(new BsonDocument("connectionStatus", 1));

        Assert.Equal(334, unknown["code"].ToInt32());
        Assert.Equal(1.0, reply["ok"].ToDouble());
        Assert.Equal("CN=client", reply["user"].AsString);
        Assert.Equal("$external", reply["dbname"].AsString);
        Assert.Equal("CN=client", status["authInfo"]["authenticatedUsers"][0]["user"].AsString);
    }

    [Fact]
    public async Task Speculative_authenticate_in_hello_uses_the_handler()
    {
        var (server, _) = await StartAsync();
        await using var _s = server;
        server.RegisterAuthenticateHandler(new FixedHandler());
        await using var client = await RawClient.ConnectAsync(server);

        var hello = await client.CommandAsync(new BsonDocument
        {
            { "hello", 1 },
            { "speculativeAuthenticate", new BsonDocument { { "authenticate", 1 }, { "mechanism", "FIXED" } } },
        });

        Assert.Equal("CN=client", hello["speculativeAuthenticate"]["user"].AsString);
    }

    [Fact]
    public async Task A_mechanism_that_throws_unexpectedly_fails_the_command_not_the_connection()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        server.RegisterMechanism(new BrokenMechanism());
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(SaslStart("x", mechanism: "BROKEN"));
        var ping = await client.CommandAsync(new BsonDocument("ping", 1));

        Assert.Equal(0.0, reply["ok"].ToDouble());
        Assert.Equal(1, reply["code"].ToInt32());
        Assert.Equal(1.0, ping["ok"].ToDouble());
    }

    private sealed class FixedHandler : IServerAuthenticateHandler
    {
        public string Name => "FIXED";

        public AuthenticatedUser Authenticate(ServerAuthenticateContext context) => new("CN=client", "$external", []);
    }

    private sealed class BrokenMechanism : IServerSaslMechanism
    {
        public string Name => "BROKEN";

        public IServerSaslConversation Start(ServerConversationContext context) => throw new InvalidOperationException("bug");
    }
}
