using MongoAuth.TestServer;
using MongoAuth.TestServer.Users;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer;

public sealed class HandshakeTests
{
    [Fact]
    public async Task Hello_answers_like_a_standalone_mongod()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions { MaxWireVersion = 21 }, default);
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(new BsonDocument { { "hello", 1 }, { "helloOk", true } });

        Assert.Equal(1.0, reply["ok"].ToDouble());
        Assert.True(reply["isWritablePrimary"].AsBoolean);
        Assert.False(reply.Contains("ismaster"));
        Assert.True(reply["helloOk"].AsBoolean);
        Assert.Equal(16777216, reply["maxBsonObjectSize"].ToInt32());
        Assert.Equal(48000000, reply["maxMessageSizeBytes"].ToInt32());
        Assert.Equal(100000, reply["maxWriteBatchSize"].ToInt32());
        Assert.Equal(0, reply["minWireVersion"].ToInt32());
        Assert.Equal(21, reply["maxWireVersion"].ToInt32());
        Assert.False(reply["readOnly"].AsBoolean);
        Assert.Equal(30, reply["logicalSessionTimeoutMinutes"].ToInt32());
        Assert.True(reply["localTime"].IsValidDateTime);
    }

    [Fact]
    public async Task IsMaster_answers_with_ismaster_and_no_helloOk_unless_asked()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(new BsonDocument("isMaster", 1));

        Assert.True(reply["ismaster"].AsBoolean);
        Assert.False(reply.Contains("isWritablePrimary"));
        Assert.False(reply.Contains("helloOk"));
        Assert.Equal(25, reply["maxWireVersion"].ToInt32());
    }

    [Fact]
    public async Task Each_connection_gets_its_own_connectionId()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        await using var first = await RawClient.ConnectAsync(server);
        await using var second = await RawClient.ConnectAsync(server);

        var a = (await first.CommandAsync(new BsonDocument("hello", 1)))["connectionId"].ToInt64();
        var b = (await second.CommandAsync(new BsonDocument("hello", 1)))["connectionId"].ToInt64();

        Assert.NotEqual(a, b);
        Assert.Equal(2, server.Statistics.ConnectionsAccepted);
        Assert.Equal(2, server.Statistics.CommandsReceived("hello"));
    }

    [Fact]
    public async Task Legacy_OP_QUERY_isMaster_gets_an_OP_REPLY_then_OP_MSG_works_on_the_same_socket()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        await using var client = await RawClient.ConnectAsync(server);

        var legacy = await client.LegacyCommandAsync(new BsonDocument { { "isMaster", 1 }, { "helloOk", true } });
        var ping = await client.CommandAsync(new BsonDocument("ping", 1));

        Assert.True(legacy["ismaster"].AsBoolean);
        Assert.True(legacy["helloOk"].AsBoolean);
        Assert.Equal(1.0, legacy["ok"].ToDouble());
        Assert.Equal(1.0, ping["ok"].ToDouble());
    }

    [Fact]
    public async Task Legacy_OP_QUERY_wrapped_in_dollar_query_is_unwrapped()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.LegacyCommandAsync(new BsonDocument
        {
            { "$query", new BsonDocument("isMaster", 1) },
            { "$readPreference", new BsonDocument("mode", "primaryPreferred") },
        });

        Assert.True(reply["ismaster"].AsBoolean);
    }

    [Theory]
    [InlineData("ping")]
    [InlineData("connectionStatus")]
    [InlineData("find")]
    public async Task Legacy_OP_QUERY_outside_the_handshake_and_authentication_is_refused(string command)
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.LegacyCommandAsync(new BsonDocument(command, 1));

        Assert.Equal(0.0, reply["ok"].ToDouble());
        Assert.Equal(352, reply["code"].ToInt32());
        Assert.Equal("UnsupportedOpQueryCommand", reply["codeName"].AsString);
    }

    [Fact]
    public async Task Legacy_OP_QUERY_saslStart_is_accepted_as_mongod_still_does()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        server.RegisterMechanism(new FakeMechanism("s"));
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.LegacyCommandAsync(new BsonDocument
        {
            { "saslStart", 1 }, { "mechanism", FakeMechanism.MechanismName }, { "payload", new BsonBinaryData("u"u8.ToArray()) },
        });

        Assert.Equal(1.0, reply["ok"].ToDouble());
        Assert.False(reply["done"].AsBoolean);
    }

    [Fact]
    public async Task SaslSupportedMechs_lists_the_stored_mechanisms_of_the_named_user_only()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        server.Users.AddScramUser("admin", "both", "pw");
        server.Users.AddScramUser("app", "sha1.only", "pw", mechanisms: [ScramMechanismNames.Sha1]);
        await using var client = await RawClient.ConnectAsync(server);

        var both = await client.CommandAsync(new BsonDocument { { "hello", 1 }, { "saslSupportedMechs", "admin.both" } });
        var sha1 = await client.CommandAsync(new BsonDocument { { "hello", 1 }, { "saslSupportedMechs", "app.sha1.only" } });
        var missing = await client.CommandAsync(new BsonDocument { { "hello", 1 }, { "saslSupportedMechs", "admin.nobody" } });
        var wrongDb = await client.CommandAsync(new BsonDocument { { "hello", 1 }, { "saslSupportedMechs", "app.both" } });

        Assert.Equal(["SCRAM-SHA-1", "SCRAM-SHA-256"], both["saslSupportedMechs"].AsBsonArray.Select(m => m.AsString));
        Assert.Equal(["SCRAM-SHA-1"], sha1["saslSupportedMechs"].AsBsonArray.Select(m => m.AsString));
        Assert.False(missing.Contains("saslSupportedMechs"));
        Assert.False(wrongDb.Contains("saslSupportedMechs"));
    }
}
