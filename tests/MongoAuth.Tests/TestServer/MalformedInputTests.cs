using System.Buffers.Binary;
using MongoAuth.TestServer;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer;

public sealed class MalformedInputTests
{
    public static TheoryData<string, byte[]> Garbage()
    {
        var validPing = new OpMsgMessage(new BsonDocument { { "ping", 1 }, { "$db", "admin" } }) { RequestId = 7 }.Encode();

        var unknownFlag = (byte[])validPing.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(unknownFlag.AsSpan(16), 1u << 5);

        var unknownSection = (byte[])validPing.Clone();
        unknownSection[20] = 9;

        var badOpCode = (byte[])validPing.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(badOpCode.AsSpan(12), 2012);

        var badBson = (byte[])validPing.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(badBson.AsSpan(21), 1000); // document longer than the message

        var tooLong = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(tooLong, 48_000_001);
        BinaryPrimitives.WriteInt32LittleEndian(tooLong.AsSpan(12), 2013);

        var tooShort = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(tooShort, 8);

        return new TheoryData<string, byte[]>
        {
            { "text", "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray() },
            { "unknown required flag", unknownFlag },
            { "unknown section kind", unknownSection },
            { "compressed opcode", badOpCode },
            { "bson length past the end", badBson },
            { "length above maxMessageSizeBytes", tooLong },
            { "length below the header", tooShort },
        };
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task The_server_closes_the_connection_on_garbage_and_keeps_listening(string what, byte[] bytes)
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        await using (var attacker = await RawClient.ConnectAsync(server))
        {
            await attacker.SendAsync(bytes);
            Assert.True(await attacker.IsClosedByServerAsync(), what);
        }

        await using var next = await RawClient.ConnectAsync(server);
        var ping = await next.CommandAsync(new BsonDocument("ping", 1));

        Assert.Equal(1.0, ping["ok"].ToDouble());
        Assert.Equal(2, server.Statistics.ConnectionsAccepted);
    }

    [Fact]
    public async Task A_client_that_leaves_mid_message_does_not_disturb_others()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        await using var other = await RawClient.ConnectAsync(server);
        await using (var quitter = await RawClient.ConnectAsync(server))
        {
            var ping = new OpMsgMessage(new BsonDocument { { "ping", 1 }, { "$db", "admin" } }) { RequestId = 1 }.Encode();
            await quitter.SendAsync(ping[..10]);
        }

        var reply = await other.CommandAsync(new BsonDocument("ping", 1));

        Assert.Equal(1.0, reply["ok"].ToDouble());
    }

    [Fact]
    public async Task Document_sequences_checksums_and_moreToCome_are_honoured()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        await using var client = await RawClient.ConnectAsync(server);
        var message = new OpMsgMessage(
            new BsonDocument { { "endSessions", 1 }, { "$db", "admin" } },
            OpMsgFlags.ChecksumPresent | OpMsgFlags.MoreToCome,
            [new DocumentSequence("ids", [new BsonDocument("id", 1)])]) { RequestId = 3 };

        await client.SendAsync(message.Encode());
        // The first reply answers the ping (CommandAsync checks responseTo): moreToCome got no reply.
        var ping = await client.CommandAsync(new BsonDocument("ping", 1));

        Assert.Equal(1, server.Statistics.CommandsReceived("endSessions"));
        Assert.Equal(1.0, ping["ok"].ToDouble());
    }
}
