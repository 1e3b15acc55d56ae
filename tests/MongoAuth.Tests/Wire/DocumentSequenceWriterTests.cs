using MongoAuth.Wire;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace MongoAuth.Tests.Wire;

/// <summary>
/// A document sequence written straight into a connection's kept buffers: the section ends exactly where the message
/// limit says, a document over maxBsonObjectSize fails the message, and the buffers serve the next message after either.
/// </summary>
public sealed class DocumentSequenceWriterTests
{
    private static readonly BsonDocument Command = new("insert", "c");
    private static readonly BsonDocument Additions = new("$db", "app");

    private sealed class Documents(IReadOnlyList<BsonDocument> documents) : DocumentSequenceWriter("documents")
    {
        public int WrittenCalls { get; private set; }

        protected override void WriteDocument(int index, BsonSerializationContext context)
        {
            WrittenCalls++;
            BsonDocumentSerializer.Instance.Serialize(context, documents[index]);
        }
    }

    private static List<BsonDocument> Blobs(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new BsonDocument { { "_id", i }, { "data", new string('x', 100 + i) } })];

    [Fact]
    public void The_section_ends_exactly_at_maxMessageSizeBytes()
    {
        var blobs = Blobs(5);
        var buffers = new CommandMessageBuffers();
        var all = new Documents(blobs) { Limit = 5 };
        var whole = buffers.Encode(Command, Additions, 1, 48_000_000, 16_777_216, OpMsgFlags.None, all).ToArray();

        var exact = new Documents(blobs) { Limit = 5 };
        var fits = buffers.Encode(Command, Additions, 2, whole.Length, 16_777_216, OpMsgFlags.None, exact).ToArray();
        var short1 = new Documents(blobs) { Limit = 5 };
        var cut = buffers.Encode(Command, Additions, 3, whole.Length - 1, 16_777_216, OpMsgFlags.None, short1).ToArray();

        Assert.Equal((5, 5, 4), (all.Written, exact.Written, short1.Written));
        Assert.Equal(whole.Length, fits.Length);
        var decoded = OpMsgMessage.Decode(MessageHeader.Read(cut), cut);
        Assert.Equal(new BsonDocument { { "insert", "c" }, { "$db", "app" } }, decoded.Body);
        Assert.Equal("documents", Assert.Single(decoded.Sequences).Identifier);
        Assert.Equal(blobs.Take(4), decoded.Sequences[0].Documents);
        Assert.Equal(whole.Length - (blobs[4].ToBson().Length), cut.Length);
    }

    [Fact]
    public void The_limit_caps_the_section_and_moreToCome_is_set_when_asked()
    {
        var documents = new Documents(Blobs(5)) { Limit = 2 };

        var bytes = new CommandMessageBuffers().Encode(Command, Additions, 1, 48_000_000, 16_777_216, OpMsgFlags.MoreToCome, documents).ToArray();

        var decoded = OpMsgMessage.Decode(MessageHeader.Read(bytes), bytes);
        Assert.Equal(2, documents.Written);
        Assert.Equal(2, documents.WrittenCalls);
        Assert.Equal(OpMsgFlags.MoreToCome, decoded.Flags);
        Assert.Equal(2, decoded.Sequences[0].Documents.Count);
    }

    [Fact]
    public void A_document_over_maxBsonObjectSize_or_a_first_document_over_the_message_limit_fails_and_the_buffers_serve_on()
    {
        var buffers = new CommandMessageBuffers();
        var blobs = Blobs(3);
        var size = blobs[1].ToBson().Length;

        var document = Assert.Throws<MongoProtocolException>(() => buffers.Encode(Command, Additions, 1, 48_000_000, size - 1, OpMsgFlags.None, new Documents(blobs) { Limit = 3 }));
        var message = Assert.Throws<MongoProtocolException>(() => buffers.Encode(Command, Additions, 2, 100, 16_777_216, OpMsgFlags.None, new Documents(blobs) { Limit = 3 }));
        var after = buffers.Encode(new BsonDocument("ping", 1), Additions, 3, 1000, 1000).ToArray();

        Assert.Equal($"BSON document in sequence 'documents' is {size} bytes, more than the server's maxBsonObjectSize of {size - 1}.", document.Message);
        Assert.Contains("more than the server's maxMessageSizeBytes of 100", message.Message, StringComparison.Ordinal);
        Assert.Equal(new BsonDocument { { "ping", 1 }, { "$db", "app" } }, OpMsgMessage.Decode(MessageHeader.Read(after), after).Body);
    }

    [Fact]
    public void A_message_larger_than_the_kept_size_is_encoded_whole_and_the_next_small_one_too()
    {
        var blobs = Enumerable.Range(0, 200).Select(i => new BsonDocument { { "_id", i }, { "data", new string('y', 500) } }).ToList();
        var buffers = new CommandMessageBuffers();
        var large = new Documents(blobs) { Limit = blobs.Count };

        var first = buffers.Encode(Command, Additions, 1, 48_000_000, 16_777_216, OpMsgFlags.None, large).ToArray();
        var second = buffers.Encode(new BsonDocument("ping", 1), Additions, 2, 48_000_000, 16_777_216).ToArray();

        Assert.True(first.Length > CommandMessageBuffers.KeptBufferSize);
        Assert.Equal(blobs, OpMsgMessage.Decode(MessageHeader.Read(first), first).Sequences[0].Documents);
        Assert.Equal(new BsonDocument { { "ping", 1 }, { "$db", "app" } }, OpMsgMessage.Decode(MessageHeader.Read(second), second).Body);
    }
}
