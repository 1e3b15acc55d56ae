using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Tests.Wire;

public sealed class LegacyMessagesTests
{
    [Fact]
    public void Op_query_round_trips()
    {
        var query = new OpQueryMessage(5, 0, "admin.$cmd", 0, -1, new BsonDocument { { "isMaster", 1 }, { "helloOk", true } });
        var bytes = query.Encode();

        var decoded = OpQueryMessage.Decode(MessageHeader.Read(bytes), bytes);

        Assert.Equal(query.FullCollectionName, decoded.FullCollectionName);
        Assert.Equal(query.Query, decoded.Query);
        Assert.Equal(-1, decoded.NumberToReturn);
        Assert.Equal(5, decoded.RequestId);
    }

    [Fact]
    public void Op_reply_round_trips_one_document()
    {
        var reply = new OpReplyMessage(5, new BsonDocument { { "ismaster", true }, { "ok", 1 } });
        var bytes = reply.Encode(requestId: 9);
        var header = MessageHeader.Read(bytes);

        Assert.Equal(OpCode.Reply, header.OpCode);
        Assert.Equal(5, header.ResponseTo);
        Assert.Equal(reply.Document, OpReplyMessage.Decode(header, bytes).Document);
    }

    [Fact]
    public void Op_query_with_unterminated_name_is_refused()
    {
        var bytes = new OpQueryMessage(1, 0, "admin.$cmd", 0, -1, new BsonDocument("isMaster", 1)).Encode();
        var cut = bytes.AsSpan(0, 24).ToArray();
        Assert.Throws<MongoProtocolException>(() => OpQueryMessage.Decode(MessageHeader.Read(bytes), cut));
    }
}
