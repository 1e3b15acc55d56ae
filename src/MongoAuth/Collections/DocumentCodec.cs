using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;

namespace MongoAuth.Collections;

/// <summary>
/// Turns application documents into BSON and back with MongoDB.Bson's serializers (class maps, attributes,
/// conventions), so a collection of POCOs and one of <see cref="BsonDocument"/>s go through the same path.
/// </summary>
internal static class DocumentCodec
{
    /// <summary>Reads one document of a reply as <typeparamref name="T"/>.</summary>
    public static T Read<T>(IBsonSerializer<T> serializer, BsonValue value)
    {
        if (typeof(T) == typeof(BsonDocument) && value is BsonDocument)
        {
            return (T)(object)value;
        }

        if (typeof(T) == typeof(BsonValue))
        {
            return (T)(object)value;
        }

        if (value is not BsonDocument document)
        {
            // Scalars (distinct's values) are read through a wrapper document.
            using var wrapped = new BsonDocumentReader(new BsonDocument("v", value));
            wrapped.ReadStartDocument();
            wrapped.ReadName("v");
            var result = serializer.Deserialize(BsonDeserializationContext.CreateRoot(wrapped));
            return result;
        }

        using var reader = new BsonDocumentReader(document);
        return serializer.Deserialize(BsonDeserializationContext.CreateRoot(reader));
    }

    /// <summary>Reads every document of a batch array (a reply decoded as a plain document; cursor replies are read by <see cref="Cursors.CursorReplySerializer{T}"/>).</summary>
    public static List<T> ReadBatch<T>(IBsonSerializer<T> serializer, BsonArray batch)
    {
        var list = new List<T>(batch.Count);
        foreach (var value in batch)
        {
            list.Add(Read(serializer, value));
        }

        return list;
    }

    /// <summary>
    /// Serialises <paramref name="document"/> once, into the bytes sent on the wire; their length is what batch
    /// splitting measures.
    /// </summary>
    public static RawBsonDocument Write<T>(IBsonSerializer<T> serializer, T document)
    {
        // One writer per thread, reused: serialising never awaits, so nothing else runs on it in between. A writer
        // and its stream per document cost more than the document itself.
        var scratch = t_scratch ??= new Scratch();
        scratch.Stream.SetLength(0);
        try
        {
            serializer.Serialize(BsonSerializationContext.CreateRoot(scratch.Writer), document);
        }
        catch
        {
            // A failed document leaves the writer mid-document: start the next one with a fresh writer.
            t_scratch = null;
            throw;
        }

        return new RawBsonDocument(scratch.Stream.ToArray());
    }

    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>A reusable stream and the writer over it.</summary>
    private sealed class Scratch
    {
        public MemoryStream Stream { get; } = new(256);

        public BsonBinaryWriter Writer { get; }

        public Scratch() => Writer = new BsonBinaryWriter(Stream);
    }

    /// <summary>
    /// Writes a document to insert with <paramref name="context"/>'s writer (the connection's, straight into the
    /// outgoing message), giving it an <c>_id</c> first when it has an empty one (<see cref="AssignId{T}"/>).
    /// </summary>
    public static void WriteInsert<T>(IBsonSerializer<T> serializer, T document, BsonSerializationContext context)
    {
        AssignId(serializer, document);
        serializer.Serialize(context, document);
    }

    /// <summary>
    /// Gives a document about to be inserted an <c>_id</c> when its type has an id member whose value is empty (an
    /// ObjectId for ObjectId members, as the class map's id generator says; a <see cref="BsonDocument"/> without
    /// <c>_id</c> gets one first). The application's object is updated, so it knows the id afterwards.
    /// </summary>
    public static void AssignId<T>(IBsonSerializer<T> serializer, T document)
    {
        if (ObjectIdProperty<T>.For(serializer) is { } property && document is not null && document.GetType() == typeof(T))
        {
            property.AssignIfEmpty(document);
            return;
        }

        if (serializer is IBsonIdProvider ids && document is not null &&
            ids.GetDocumentId(document, out var id, out _, out var generator) && generator is not null && generator.IsEmpty(id))
        {
            ids.SetDocumentId(document, generator.GenerateId(null, document));
        }
    }
}
