using MongoDB.Bson;

namespace MongoAuth;

/// <summary>What <c>UpdateOne</c>/<c>UpdateMany</c> did.</summary>
public sealed class UpdateResult
{
    internal UpdateResult(bool acknowledged, long matched, long modified, BsonValue? upsertedId)
    {
        IsAcknowledged = acknowledged;
        MatchedCount = matched;
        ModifiedCount = modified;
        UpsertedId = upsertedId;
    }

    /// <summary>Whether the server acknowledged the write (false with write concern <c>w: 0</c>: the counts are then unknown).</summary>
    public bool IsAcknowledged { get; }

    /// <summary>How many documents matched the filter.</summary>
    public long MatchedCount { get; }

    /// <summary>How many documents changed (a document the update left as it was is matched but not modified).</summary>
    public long ModifiedCount { get; }

    /// <summary>Whether <see cref="ModifiedCount"/> is known (it is whenever the write was acknowledged).</summary>
    public bool IsModifiedCountAvailable => IsAcknowledged;

    /// <summary>The <c>_id</c> of the document inserted by an upsert; null when none was.</summary>
    public BsonValue? UpsertedId { get; }

    /// <inheritdoc />
    public override string ToString() => $"Matched {MatchedCount}, modified {ModifiedCount}" + (UpsertedId is null ? "" : $", upserted {UpsertedId}");
}

/// <summary>What <c>ReplaceOne</c> did.</summary>
public sealed class ReplaceOneResult
{
    internal ReplaceOneResult(bool acknowledged, long matched, long modified, BsonValue? upsertedId)
    {
        IsAcknowledged = acknowledged;
        MatchedCount = matched;
        ModifiedCount = modified;
        UpsertedId = upsertedId;
    }

    /// <summary>Whether the server acknowledged the write.</summary>
    public bool IsAcknowledged { get; }

    /// <summary>How many documents matched the filter (0 or 1).</summary>
    public long MatchedCount { get; }

    /// <summary>How many documents changed (0 or 1).</summary>
    public long ModifiedCount { get; }

    /// <summary>Whether <see cref="ModifiedCount"/> is known.</summary>
    public bool IsModifiedCountAvailable => IsAcknowledged;

    /// <summary>The <c>_id</c> of the document inserted by an upsert; null when none was.</summary>
    public BsonValue? UpsertedId { get; }
}

/// <summary>What <c>DeleteOne</c>/<c>DeleteMany</c> did.</summary>
public sealed class DeleteResult
{
    internal DeleteResult(bool acknowledged, long deleted)
    {
        IsAcknowledged = acknowledged;
        DeletedCount = deleted;
    }

    /// <summary>Whether the server acknowledged the write.</summary>
    public bool IsAcknowledged { get; }

    /// <summary>How many documents were deleted.</summary>
    public long DeletedCount { get; }
}
