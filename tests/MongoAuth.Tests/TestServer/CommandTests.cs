using MongoAuth.TestServer;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer;

public sealed class CommandTests
{
    [Fact]
    public async Task Unknown_command_is_CommandNotFound()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions { RequireAuthentication = false }, default);
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(new BsonDocument("frobnicate", 1));

        Assert.Equal(0.0, reply["ok"].ToDouble());
        Assert.Equal(59, reply["code"].ToInt32());
        Assert.Equal("CommandNotFound", reply["codeName"].AsString);
        Assert.Contains("frobnicate", reply["errmsg"].AsString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("configureFailPoint")]
    [InlineData("find")]
    [InlineData("listDatabases")]
    public async Task Commands_outside_the_handshake_need_authentication(string command)
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(new BsonDocument(command, 1));

        Assert.Equal(13, reply["code"].ToInt32());
        Assert.Equal("Unauthorized", reply["codeName"].AsString);
        Assert.Equal(0.0, reply["ok"].ToDouble());
    }

    [Theory]
    [InlineData("ping")]
    [InlineData("buildInfo")]
    [InlineData("endSessions")]
    [InlineData("connectionStatus")]
    public async Task Diagnostics_work_before_authentication(string command)
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(new BsonDocument(command, 1));

        Assert.Equal(1.0, reply["ok"].ToDouble());
    }

    [Fact]
    public async Task BuildInfo_reports_a_version_consistent_with_the_wire_version()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(new BsonDocument("buildInfo", 1));

        Assert.Equal("8.0.0", reply["version"].AsString);
        Assert.Equal(8, reply["versionArray"][0].ToInt32());
        Assert.Equal(16777216, reply["maxBsonObjectSize"].ToInt32());
    }

    [Fact]
    public async Task ConnectionStatus_before_authentication_lists_nobody()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(new BsonDocument("connectionStatus", 1));

        Assert.Empty(reply["authInfo"]["authenticatedUsers"].AsBsonArray);
        Assert.Empty(reply["authInfo"]["authenticatedUserRoles"].AsBsonArray);
    }

    [Fact]
    public async Task Commands_are_counted_by_name()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        await using var client = await RawClient.ConnectAsync(server);

        await client.CommandAsync(new BsonDocument("ping", 1));
        await client.CommandAsync(new BsonDocument("ping", 1));
        await client.CommandAsync(new BsonDocument("buildInfo", 1));

        Assert.Equal(2, server.Statistics.CommandsReceived("ping"));
        Assert.Equal(1, server.Statistics.Commands["buildInfo"]);
        Assert.Equal(0, server.Statistics.CommandsReceived("hello"));
    }
}
