using System.Diagnostics;
using MongoAuth.TestServer;
using MongoAuth.TestServer.FailPoints;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer;

public sealed class FailPointTests
{
    private static Task<MongoTestServer> StartOpenServerAsync() =>
        MongoTestServer.StartAsync(new TestServerOptions { RequireAuthentication = false }, default);

    private static BsonDocument Configure(BsonValue mode, BsonDocument data) => new()
    {
        { "configureFailPoint", "failCommand" }, { "mode", mode }, { "data", data },
    };

    [Fact]
    public async Task ErrorCode_fails_the_listed_command_the_given_number_of_times()
    {
        await using var server = await StartOpenServerAsync();
        await using var client = await RawClient.ConnectAsync(server);

        var configured = await client.CommandAsync(Configure(new BsonDocument("times", 2), new BsonDocument
        {
            { "failCommands", new BsonArray { "ping" } }, { "errorCode", 91 }, { "errorLabels", new BsonArray { "RetryableError" } },
        }));
        var first = await client.CommandAsync(new BsonDocument("ping", 1));
        var other = await client.CommandAsync(new BsonDocument("buildInfo", 1));
        var second = await client.CommandAsync(new BsonDocument("ping", 1));
        var third = await client.CommandAsync(new BsonDocument("ping", 1));

        Assert.Equal(1.0, configured["ok"].ToDouble());
        Assert.Equal(91, first["code"].ToInt32());
        Assert.Equal("ShutdownInProgress", first["codeName"].AsString);
        Assert.Equal(["RetryableError"], first["errorLabels"].AsBsonArray.Select(l => l.AsString));
        Assert.Equal(1.0, other["ok"].ToDouble());
        Assert.Equal(91, second["code"].ToInt32());
        Assert.Equal(1.0, third["ok"].ToDouble());
    }

    [Fact]
    public async Task AlwaysOn_stays_until_turned_off()
    {
        await using var server = await StartOpenServerAsync();
        await using var client = await RawClient.ConnectAsync(server);

        await client.CommandAsync(Configure("alwaysOn", new BsonDocument
        {
            { "failCommands", new BsonArray { "buildInfo" } }, { "errorCode", 12345 },
        }));
        var replies = new List<BsonDocument>();
        for (var i = 0; i < 3; i++)
        {
            replies.Add(await client.CommandAsync(new BsonDocument("buildInfo", 1)));
        }

        await client.CommandAsync(new BsonDocument { { "configureFailPoint", "failCommand" }, { "mode", "off" } });
        var after = await client.CommandAsync(new BsonDocument("buildInfo", 1));

        Assert.All(replies, r => Assert.Equal("Location12345", r["codeName"].AsString));
        Assert.Equal(1.0, after["ok"].ToDouble());
    }

    [Fact]
    public async Task CloseConnection_drops_the_socket_and_the_listener_goes_on()
    {
        await using var server = await StartOpenServerAsync();
        server.ConfigureFailPoint(new FailCommand { Commands = ["saslStart"], Times = 1, CloseConnection = true });
        await using var victim = await RawClient.ConnectAsync(server);

        await victim.SendAsync(new MongoAuth.Wire.OpMsgMessage(new BsonDocument
        {
            { "saslStart", 1 }, { "mechanism", "SCRAM-SHA-256" }, { "payload", new BsonBinaryData([]) }, { "$db", "admin" },
        }) { RequestId = 1 }.Encode());
        Assert.True(await victim.IsClosedByServerAsync());

        await using var next = await RawClient.ConnectAsync(server);
        var ping = await next.CommandAsync(new BsonDocument("ping", 1));
        Assert.Equal(1.0, ping["ok"].ToDouble());
    }

    [Fact]
    public async Task BlockConnection_holds_the_reply_for_at_least_the_block_time()
    {
        await using var server = await StartOpenServerAsync();
        await using var client = await RawClient.ConnectAsync(server);
        await client.CommandAsync(Configure(new BsonDocument("times", 1), new BsonDocument
        {
            { "failCommands", new BsonArray { "ping" } }, { "blockConnection", true }, { "blockTimeMS", 300 },
        }));

        var watch = Stopwatch.StartNew();
        var reply = await client.CommandAsync(new BsonDocument("ping", 1));
        watch.Stop();

        // A lower bound only: the fail point must have waited; how fast the machine is does not matter.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"replied after {watch.Elapsed}");
        Assert.Equal(1.0, reply["ok"].ToDouble());
    }

    [Fact]
    public async Task AppName_limits_the_fail_point_to_matching_connections()
    {
        await using var server = await StartOpenServerAsync();
        server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], ErrorCode = 2, AppName = "victim" });
        await using var victim = await RawClient.ConnectAsync(server);
        await using var bystander = await RawClient.ConnectAsync(server);

        await victim.CommandAsync(new BsonDocument
        {
            { "hello", 1 }, { "client", new BsonDocument("application", new BsonDocument("name", "victim")) },
        });
        await bystander.CommandAsync(new BsonDocument("hello", 1));
        var hit = await victim.CommandAsync(new BsonDocument("ping", 1));
        var missed = await bystander.CommandAsync(new BsonDocument("ping", 1));

        Assert.Equal(2, hit["code"].ToInt32());
        Assert.Equal(1.0, missed["ok"].ToDouble());
    }

    [Fact]
    public async Task A_fail_point_on_the_handshake_fails_hello()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        server.ConfigureFailPoint(new FailCommand { Commands = ["hello"], Times = 1, ErrorCode = 18 });
        await using var client = await RawClient.ConnectAsync(server);

        var failed = await client.CommandAsync(new BsonDocument("hello", 1));
        var next = await client.CommandAsync(new BsonDocument("hello", 1));

        Assert.Equal("AuthenticationFailed", failed["codeName"].AsString);
        Assert.True(next["isWritablePrimary"].AsBoolean);
    }

    [Theory]
    [InlineData("{ configureFailPoint: 'otherFailPoint', mode: 'alwaysOn', data: { failCommands: ['ping'] } }")]
    [InlineData("{ configureFailPoint: 'failCommand', mode: 'sometimes', data: { failCommands: ['ping'] } }")]
    [InlineData("{ configureFailPoint: 'failCommand', mode: { times: 0 }, data: { failCommands: ['ping'] } }")]
    [InlineData("{ configureFailPoint: 'failCommand', mode: 'alwaysOn', data: { errorCode: 2 } }")]
    public async Task A_malformed_configureFailPoint_is_BadValue_and_sets_nothing(string json)
    {
        await using var server = await StartOpenServerAsync();
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(BsonDocument.Parse(json));
        var ping = await client.CommandAsync(new BsonDocument("ping", 1));

        Assert.Equal(2, reply["code"].ToInt32());
        Assert.Equal("BadValue", reply["codeName"].AsString);
        Assert.Equal(1.0, ping["ok"].ToDouble());
    }
}
