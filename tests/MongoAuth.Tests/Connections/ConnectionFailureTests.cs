using System.Buffers.Binary;
using MongoAuth.Tests.Support;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Tests.Connections;

/// <summary>Malformed, truncated and oversized replies, timeouts and old servers: each is a clear error and a closed connection.</summary>
public sealed class ConnectionFailureTests
{
    private static async Task<MongoConnectionException> PingFailsAsync(Func<int, byte[]> reply, MongoClientSettings? overrides = null)
    {
        await using var server = new ScriptedServer(r => r.Name == "ping" ? ServerAction.Raw(reply) : FakeSaslServer.Handle(r));
        var settings = overrides is null ? TestSettings.For(server) : overrides with { Servers = [server.Address] };
        await using var client = new MongoClient(settings);
        var database = client.GetDatabase("app");
        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => database.RunCommandAsync(new BsonDocument("ping", 1)));
        var connectionsBefore = server.ConnectionCount;
        await Assert.ThrowsAsync<MongoConnectionException>(() => database.RunCommandAsync(new BsonDocument("ping", 1)));
        Assert.Equal(connectionsBefore + 1, server.ConnectionCount); // the failed connection was not reused
        return error;
    }

    private static byte[] Header(int length, int responseTo, int opCode = 2013)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), responseTo);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), opCode);
        return bytes;
    }

    private static byte[] Reply(int responseTo, BsonDocument body, uint flags = 0)
    {
        var bytes = new OpMsgMessage(body) { ResponseTo = responseTo }.Encode();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), flags);
        return bytes;
    }

    [Fact]
    public async Task A_length_below_16_is_refused()
    {
        var error = await PingFailsAsync(id => Header(12, id));
        Assert.Contains("outside the allowed range", error.Message);
        Assert.Contains("ping", error.Message);
    }

    [Fact]
    public async Task A_length_above_maxMessageSizeBytes_is_refused_before_allocating()
    {
        var error = await PingFailsAsync(id => Header(int.MaxValue, id));
        Assert.Contains("outside the allowed range", error.Message);
    }

    [Fact]
    public async Task A_truncated_reply_is_a_network_error()
    {
        var error = await PingFailsAsync(id => Reply(id, new BsonDocument("ok", 1))[..30]);
        Assert.Contains("closed", error.Message);
    }

    [Fact]
    public async Task An_unknown_required_flag_is_refused()
    {
        var error = await PingFailsAsync(id => Reply(id, new BsonDocument("ok", 1), flags: 1u << 5));
        Assert.IsType<MongoProtocolException>(error.InnerException);
    }

    [Fact]
    public async Task An_unknown_section_kind_is_refused()
    {
        var error = await PingFailsAsync(id =>
        {
            var bytes = Reply(id, new BsonDocument("ok", 1));
            bytes[20] = 7;
            return bytes;
        });
        Assert.IsType<MongoProtocolException>(error.InnerException);
    }

    [Fact]
    public async Task Malformed_BSON_is_refused()
    {
        var error = await PingFailsAsync(id =>
        {
            var bytes = Reply(id, new BsonDocument("ok", 1));
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(21), 9999);
            return bytes;
        });
        Assert.IsType<MongoProtocolException>(error.InnerException);
    }

    [Fact]
    public async Task A_reply_to_another_request_is_refused()
    {
        var error = await PingFailsAsync(id => Reply(id + 1, new BsonDocument("ok", 1)));
        Assert.Contains("not " , error.Message);
    }

    [Fact]
    public async Task A_silent_server_hits_socketTimeoutMS()
    {
        await using var server = new ScriptedServer(r => r.Name == "ping" ? ServerAction.Silence : FakeSaslServer.Handle(r));
        await using var client = new MongoClient(TestSettings.For(server) with { SocketTimeout = TimeSpan.FromMilliseconds(200) });

        var error = await Assert.ThrowsAsync<MongoOperationTimeoutException>(() => client.GetDatabase("app").RunCommandAsync(new BsonDocument("ping", 1)));

        Assert.Contains("socketTimeoutMS", error.Message);
        Assert.Equal(("ping", "socketTimeoutMS"), (error.Step, error.TimeoutOption));
    }

    [Fact]
    public async Task A_silent_server_hits_socketTimeoutMS_on_the_synchronous_path_too()
    {
        await using var server = new ScriptedServer(r => r.Name == "ping" ? ServerAction.Silence : FakeSaslServer.Handle(r));
        await using var client = new MongoClient(TestSettings.For(server) with { SocketTimeout = TimeSpan.FromMilliseconds(200) });

        var error = Assert.Throws<MongoOperationTimeoutException>(() => client.GetDatabase("app").RunCommand(new BsonDocument("ping", 1)));

        Assert.Contains("socketTimeoutMS", error.Message);
        Assert.Equal(("ping", "socketTimeoutMS"), (error.Step, error.TimeoutOption));
    }

    [Fact]
    public async Task A_server_below_wire_version_8_is_refused_with_a_clear_message()
    {
        await using var server = new ScriptedServer(r => ServerAction.Reply(ScriptedServer.Hello(new BsonDocument("maxWireVersion", 7))));
        await using var client = new MongoClient(TestSettings.For(server));

        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => client.GetDatabase("app").RunCommandAsync(new BsonDocument("ping", 1)));

        Assert.Contains("maxWireVersion 7", error.Message);
        Assert.Contains("MongoDB 4.2", error.Message);
    }

    [Fact]
    public async Task A_refused_port_is_tried_until_serverSelectionTimeoutMS_and_the_error_names_the_server()
    {
        var settings = new MongoClientSettings
        {
            Servers = [new MongoServerAddress("127.0.0.1", 1, MongoHostKind.IPv4)],
            Mechanisms = new(),
            ServerSelectionTimeout = TimeSpan.FromMilliseconds(800),
        };
        await using var client = new MongoClient(settings);

        // A server that refuses connections may be restarting: the client keeps trying until serverSelectionTimeoutMS.
        var error = await Assert.ThrowsAsync<MongoServerSelectionException>(() => client.GetDatabase("app").RunCommandAsync(new BsonDocument("ping", 1)));

        Assert.Contains("Could not connect to 127.0.0.1:1", error.Message);
        Assert.Contains("serverSelectionTimeoutMS (800 ms)", error.Message);
        Assert.IsType<MongoConnectionException>(error.InnerException);
    }

    [Fact]
    public async Task A_command_larger_than_maxMessageSizeBytes_is_refused_without_sending()
    {
        await using var server = new ScriptedServer(r => r.Name == "isMaster"
            ? ServerAction.Reply(ScriptedServer.Hello(new BsonDocument { { "maxMessageSizeBytes", 1000 } }))
            : FakeSaslServer.Handle(r));
        await using var client = new MongoClient(TestSettings.For(server));

        var error = await Assert.ThrowsAsync<MongoProtocolException>(() =>
            client.GetDatabase("app").RunCommandAsync(new BsonDocument { { "insert", "x" }, { "blob", new string('x', 2000) } }));

        Assert.Contains("maxMessageSizeBytes", error.Message);
        Assert.DoesNotContain("insert", server.CommandNames);
    }
}
