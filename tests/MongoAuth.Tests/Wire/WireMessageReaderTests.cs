using System.Buffers.Binary;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Tests.Wire;

public sealed class WireMessageReaderTests
{
    private static readonly byte[] PingMessage = new OpMsgMessage(new BsonDocument { { "ping", 1 }, { "$db", "admin" } }).Encode();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Reads_consecutive_messages_then_null_at_a_clean_end(bool runAsync)
    {
        using var stream = new MemoryStream([.. PingMessage, .. PingMessage]);

        var first = await WireMessageReader.ReadAsync(stream, 1000, runAsync, CancellationToken.None);
        var second = await WireMessageReader.ReadAsync(stream, 1000, runAsync, CancellationToken.None);
        var end = await WireMessageReader.ReadAsync(stream, 1000, runAsync, CancellationToken.None);

        Assert.Equal(PingMessage, first!.Bytes);
        Assert.Equal(PingMessage, second!.Bytes);
        Assert.Null(end);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(-1)]
    [InlineData(1001)]
    [InlineData(int.MaxValue)]
    public async Task Length_outside_16_to_max_is_refused_before_allocating(int length)
    {
        var bytes = (byte[])PingMessage.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        using var stream = new MemoryStream(bytes);

        var error = await Assert.ThrowsAsync<MongoProtocolException>(
            () => WireMessageReader.ReadAsync(stream, 1000, true, CancellationToken.None).AsTask());
        Assert.Contains($"Message length {length}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(20)]
    public async Task Truncated_message_is_an_end_of_stream_error(int keep)
    {
        using var stream = new MemoryStream(PingMessage.AsSpan(0, keep).ToArray());
        await Assert.ThrowsAsync<EndOfStreamException>(
            () => WireMessageReader.ReadAsync(stream, 1000, true, CancellationToken.None).AsTask());
    }
}
