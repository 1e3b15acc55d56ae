using System.Buffers.Binary;
using System.Text;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Tests.Wire;

public sealed class OpMsgMessageTests
{
    private static readonly BsonDocument Ping = new() { { "ping", 1 }, { "$db", "admin" } };

    [Fact]
    public void Encodes_header_flags_and_body_section_byte_for_byte()
    {
        var bytes = new OpMsgMessage(Ping) { RequestId = 7 }.Encode();

        var body = Ping.ToBson();
        var expected = new byte[16 + 4 + 1 + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(expected, expected.Length);
        BinaryPrimitives.WriteInt32LittleEndian(expected.AsSpan(4), 7);
        BinaryPrimitives.WriteInt32LittleEndian(expected.AsSpan(12), 2013);
        expected[20] = 0;
        body.CopyTo(expected, 21);
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Round_trips_kind_1_sequences_and_ids()
    {
        var docs = new[] { new BsonDocument("_id", 1), new BsonDocument("_id", 2) };
        var message = new OpMsgMessage(new BsonDocument { { "insert", "c" }, { "$db", "d" } }, OpMsgFlags.None,
            [new DocumentSequence("documents", docs)]) { RequestId = 11, ResponseTo = 3 };

        var decoded = Decode(message.Encode());

        Assert.Equal(11, decoded.RequestId);
        Assert.Equal(3, decoded.ResponseTo);
        Assert.Equal("insert", decoded.Body.GetElement(0).Name);
        var sequence = Assert.Single(decoded.Sequences);
        Assert.Equal("documents", sequence.Identifier);
        Assert.Equal(docs, sequence.Documents);
    }

    [Fact]
    public void Checksum_is_written_and_verified()
    {
        var bytes = new OpMsgMessage(Ping, OpMsgFlags.ChecksumPresent).Encode();
        Assert.Equal(Ping, Decode(bytes).Body);

        bytes[^6] ^= 0x01; // flip a bit inside the body; the checksum no longer matches
        var error = Assert.Throws<MongoProtocolException>(() => Decode(bytes));
        Assert.Contains("checksum", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Crc32C_matches_the_standard_check_value()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Theory]
    [InlineData(1u << 2, true)]   // unknown required bit
    [InlineData(1u << 15, true)]  // unknown required bit, highest
    [InlineData(1u << 17, false)] // unknown optional bit: ignored
    [InlineData(1u << 16, false)] // exhaustAllowed
    public void Unknown_required_flag_bits_are_refused_and_optional_ones_ignored(uint flag, bool refused)
    {
        var bytes = new OpMsgMessage(Ping).Encode();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), flag);

        if (refused)
        {
            var error = Assert.Throws<MongoProtocolException>(() => Decode(bytes));
            Assert.Contains("required flag", error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(Ping, Decode(bytes).Body);
        }
    }

    [Fact]
    public void Unknown_section_kind_is_refused()
    {
        var bytes = new OpMsgMessage(Ping).Encode();
        bytes[20] = 2;
        var error = Assert.Throws<MongoProtocolException>(() => Decode(bytes));
        Assert.Contains("unknown section kind 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Document_length_running_past_the_message_is_refused()
    {
        var bytes = new OpMsgMessage(Ping).Encode();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(21), 10_000);
        var error = Assert.Throws<MongoProtocolException>(() => Decode(bytes));
        Assert.Contains("Invalid BSON document length 10000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_without_body_or_with_two_bodies_is_refused()
    {
        var bytes = new OpMsgMessage(Ping).Encode();
        Assert.Throws<MongoProtocolException>(() => Decode(bytes.AsSpan(0, 20).ToArray()));

        var body = Ping.ToBson();
        var twice = bytes.Concat(new byte[] { 0 }).Concat(body).ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(twice, twice.Length);
        var error = Assert.Throws<MongoProtocolException>(() => Decode(twice));
        Assert.Contains("more than one body", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encoding_refuses_documents_and_messages_over_the_limits()
    {
        var big = new BsonDocument { { "ping", 1 }, { "pad", new string('x', 2000) } };
        Assert.Throws<MongoProtocolException>(() => new OpMsgMessage(big).Encode(maxDocumentSize: 1000));
        Assert.Throws<MongoProtocolException>(() => new OpMsgMessage(big).Encode(maxMessageSize: 1000));
    }

    [Fact]
    public void Opcode_other_than_op_msg_is_refused()
    {
        var bytes = new OpMsgMessage(Ping).Encode();
        Assert.Throws<MongoProtocolException>(() => OpMsgMessage.Decode(MessageHeader.Read(bytes) with { OpCode = OpCode.Reply }, bytes));
    }

    internal static OpMsgMessage Decode(byte[] bytes) => OpMsgMessage.Decode(MessageHeader.Read(bytes), bytes);
}
