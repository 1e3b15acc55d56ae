using MongoAuth.Collections;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace MongoAuth.Writes;

/// <summary>The three write commands a bulk write is made of, with their command name and batch field.</summary>
internal enum WriteKind
{
    Insert,
    Update,
    Delete,
}

/// <summary>
/// One request of a bulk write as it goes on the wire: its kind, its position in the application's list, whether it
/// may be retried, and how it is written into the outgoing message (serialised there, not before).
/// </summary>
/// <param name="kind">Which command carries it.</param>
/// <param name="index">The request's position in the application's list.</param>
/// <param name="isSingleStatement">Whether it changes at most one document (retryable).</param>
internal abstract class WriteStatement(WriteKind kind, int index, bool isSingleStatement)
{
    /// <summary>Which command carries it.</summary>
    public WriteKind Kind { get; } = kind;

    /// <summary>The request's position in the application's list.</summary>
    public int Index { get; } = index;

    /// <summary>Whether it changes at most one document (retryable).</summary>
    public bool IsSingleStatement { get; } = isSingleStatement;

    /// <summary>Writes the statement as one top-level BSON document.</summary>
    public abstract void Write(BsonSerializationContext context);

    public static string CommandName(WriteKind kind) => kind switch
    {
        WriteKind.Insert => "insert",
        WriteKind.Update => "update",
        _ => "delete",
    };

    public static string SequenceName(WriteKind kind) => kind switch
    {
        WriteKind.Insert => "documents",
        WriteKind.Update => "updates",
        _ => "deletes",
    };
}

/// <summary>An update or delete statement (<c>{q, u, upsert, multi}</c> / <c>{q, limit}</c>), built as a document.</summary>
internal sealed class StatementDocument(WriteKind kind, int index, BsonDocument statement, bool isSingleStatement)
    : WriteStatement(kind, index, isSingleStatement)
{
    /// <summary>The statement.</summary>
    public BsonDocument Statement { get; } = statement;

    public override void Write(BsonSerializationContext context) => BsonDocumentSerializer.Instance.Serialize(context, Statement);
}

/// <summary>An inserted document, serialised into the message by the collection's serializer (an empty <c>_id</c> is assigned first).</summary>
internal sealed class InsertStatement<T>(int index, T document, IBsonSerializer<T> serializer) : WriteStatement(WriteKind.Insert, index, true)
{
    public override void Write(BsonSerializationContext context) => DocumentCodec.WriteInsert(serializer, document, context);
}
