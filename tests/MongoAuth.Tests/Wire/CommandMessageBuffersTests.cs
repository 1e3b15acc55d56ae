using System.Buffers.Binary;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Tests.Wire;

/// <summary>A connection's kept buffers: what they encode and decode, across many messages, and the checks they keep.</summary>
public sealed class CommandMessageBuffersTests
{
    private static byte[] Reply(BsonDocument body, int responseTo) =>
        new OpMsgMessage(body) { RequestId = 7, ResponseTo = responseTo }.Encode();

    private static BsonDocument Sized(int bytes) => new() { { "ok", 1.0 }, { "pad", new string('x', bytes) } };

    [Fact]
    public void The_body_is_the_command_then_the_additions_which_replace_elements_of_the_same_name()
    {
        var buffers = new CommandMessageBuffers();
        var command = new BsonDocument { { "find", "things" }, { "$db", "stale" }, { "filter", new BsonDocument("a", 1) } };

        var first = buffers.Encode(command, new BsonDocument { { "$db", "app" }, { "maxTimeMS", 5 } }, 41, 48_000_000, 16_777_216).ToArray();
        var message = OpMsgMessage.Decode(MessageHeader.Read(first), first);

        Assert.Equal(new BsonDocument { { "find", "things" }, { "filter", new BsonDocument("a", 1) }, { "$db", "app" }, { "maxTimeMS", 5 } }, message.Body);
        Assert.Equal((41, 0, first.Length), (message.RequestId, message.ResponseTo, MessageHeader.Read(first).MessageLength));
        Assert.Equal(new BsonDocument { { "find", "things" }, { "$db", "stale" }, { "filter", new BsonDocument("a", 1) } }, command);

        // The same buffers encode the next, shorter message without leftovers of the first.
        var second = buffers.Encode(new BsonDocument("ping", 1), new BsonDocument("$db", "admin"), 42, 48_000_000, 16_777_216).ToArray();
        Assert.Equal(new BsonDocument { { "ping", 1 }, { "$db", "admin" } }, OpMsgMessage.Decode(MessageHeader.Read(second), second).Body);
    }

    [Fact]
    public void Limits_are_checked_and_a_refused_command_leaves_the_buffers_usable()
    {
        var buffers = new CommandMessageBuffers();

        var document = Assert.Throws<MongoProtocolException>(() => buffers.Encode(Sized(2000), [], 1, 48_000_000, 1000));
        var message = Assert.Throws<MongoProtocolException>(() => buffers.Encode(Sized(2000), [], 2, 1000, 16_777_216));
        var after = buffers.Encode(new BsonDocument("ping", 1), new BsonDocument("$db", "admin"), 3, 1000, 1000).ToArray();

        Assert.Contains("maxBsonObjectSize of 1000", document.Message, StringComparison.Ordinal);
        Assert.Contains("maxMessageSizeBytes of 1000", message.Message, StringComparison.Ordinal);
        Assert.Equal(new BsonDocument { { "ping", 1 }, { "$db", "admin" } }, OpMsgMessage.Decode(MessageHeader.Read(after), after).Body);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Replies_of_every_size_in_a_row_are_read_whole_with_one_set_of_buffers(bool runAsync)
    {
        // Smaller than the first buffer, larger (it grows and is kept), larger than what is kept, then small again.
        BsonDocument[] bodies = [Sized(10), Sized(5000), Sized(100_000), Sized(10), Sized(3000)];
        using var stream = new MemoryStream([.. bodies.SelectMany((body, i) => Reply(body, 100 + i))]);
        var buffers = new CommandMessageBuffers();

        for (var i = 0; i < bodies.Length; i++)
        {
            Assert.Equal(bodies[i], await buffers.ReadReplyAsync(stream, 100 + i, 48_000_000, runAsync, CancellationToken.None));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(2001)]
    public async Task A_length_outside_16_to_max_is_refused(int length)
    {
        var bytes = Reply(Sized(10), 1);
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);

        var error = await Assert.ThrowsAsync<MongoProtocolException>(
            () => new CommandMessageBuffers().ReadReplyAsync(new MemoryStream(bytes), 1, 2000, true, CancellationToken.None).AsTask());

        Assert.Contains($"Message length {length}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_peer_that_announces_more_than_it_sends_ends_the_read(bool runAsync)
    {
        var bytes = Reply(Sized(10), 1);
        BinaryPrimitives.WriteInt32LittleEndian(bytes, 10_000_000);

        var error = await Assert.ThrowsAsync<EndOfStreamException>(
            () => new CommandMessageBuffers().ReadReplyAsync(new MemoryStream(bytes), 1, 48_000_000, runAsync, CancellationToken.None).AsTask());

        Assert.Contains($"after {bytes.Length} of 10000000 message bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_stream_and_a_reply_to_another_request_are_errors()
    {
        var buffers = new CommandMessageBuffers();

        var closed = await Assert.ThrowsAsync<EndOfStreamException>(
            () => buffers.ReadReplyAsync(new MemoryStream(), 1, 2000, true, CancellationToken.None).AsTask());
        var other = await Assert.ThrowsAsync<MongoProtocolException>(
            () => buffers.ReadReplyAsync(new MemoryStream(Reply(Sized(10), 9)), 1, 2000, true, CancellationToken.None).AsTask());

        Assert.Equal("The server closed the connection.", closed.Message);
        Assert.Equal("The reply answers request 9, not 1.", other.Message);
    }

    [Fact]
    public async Task A_malformed_body_is_a_protocol_error_and_the_next_reply_still_decodes()
    {
        var bad = Reply(new BsonDocument { { "ok", 1.0 }, { "s", "abc" } }, 1);
        // The string's length prefix (after type byte and "s\0") claims more bytes than the document holds.
        var at = bad.AsSpan().IndexOf("s\0"u8) + 2;
        BinaryPrimitives.WriteInt32LittleEndian(bad.AsSpan(at), 400);
        var good = Reply(Sized(10), 2);
        using var stream = new MemoryStream([.. bad, .. good]);
        var buffers = new CommandMessageBuffers();

        await Assert.ThrowsAsync<MongoProtocolException>(() => buffers.ReadReplyAsync(stream, 1, 2000, true, CancellationToken.None).AsTask());

        Assert.Equal(Sized(10), await buffers.ReadReplyAsync(stream, 2, 2000, true, CancellationToken.None));
    }
}
