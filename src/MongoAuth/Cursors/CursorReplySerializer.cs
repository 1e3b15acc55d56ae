using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

#pragma warning disable CA2000 // A RawBsonArray wraps managed bytes of the reply message (nothing to release); the reply owns it.
namespace MongoAuth.Cursors;

/// <summary>
/// Reads a cursor command's reply (find, aggregate, getMore, listCollections, listIndexes) as a <see cref="BsonDocument"/>
/// whose <c>cursor.firstBatch</c> / <c>cursor.nextBatch</c> stays a <see cref="RawBsonArray"/> over the message's bytes.
/// The cursor then deserialises each document straight from those bytes into the application's type, instead of
/// building a document tree first and reading it a second time.
/// </summary>
internal sealed class CursorReplySerializer : SerializerBase<BsonDocument>
{
    public static CursorReplySerializer Instance { get; } = new();

    public override BsonDocument Deserialize(BsonDeserializationContext context, BsonDeserializationArgs args) => ReadDocument(context, inCursor: false);

    private static BsonDocument ReadDocument(BsonDeserializationContext context, bool inCursor)
    {
        var reader = context.Reader;
        var document = new BsonDocument();
        reader.ReadStartDocument();
        while (reader.ReadBsonType() != BsonType.EndOfDocument)
        {
            var name = reader.ReadName();
            BsonValue value = reader.CurrentBsonType switch
            {
                BsonType.Document when !inCursor && name == "cursor" => ReadDocument(context, inCursor: true),
                BsonType.Array when inCursor && name is "firstBatch" or "nextBatch" => new RawBsonArray(reader.ReadRawBsonArray()),
                _ => BsonValueSerializer.Instance.Deserialize(context),
            };
            // Add refuses a repeated name, as the plain document serializer does.
            document.Add(name, value);
        }

        reader.ReadEndDocument();
        return document;
    }
}
