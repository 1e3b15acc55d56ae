using MongoDB.Bson;

namespace MongoAuth.Writes;

/// <summary>The three write commands a bulk write is made of, with their command name and batch field.</summary>
internal enum WriteKind
{
    Insert,
    Update,
    Delete,
}

/// <summary>One request of a bulk write as it goes on the wire: its kind, its BSON (serialised once) and its position.</summary>
/// <param name="Kind">Which command carries it.</param>
/// <param name="Index">The request's position in the application's list.</param>
/// <param name="Document">The inserted document, or the update/delete statement (<c>{q, u, upsert, multi}</c> / <c>{q, limit}</c>).</param>
/// <param name="IsSingleStatement">Whether it changes at most one document (retryable).</param>
internal sealed record WriteStatement(WriteKind Kind, int Index, RawBsonDocument Document, bool IsSingleStatement)
{
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
