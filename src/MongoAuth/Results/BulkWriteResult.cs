using MongoDB.Bson;

namespace MongoAuth;

/// <summary>A document an upserting request of a bulk write inserted.</summary>
/// <param name="Index">The request's position in the bulk write.</param>
/// <param name="Id">The inserted document's <c>_id</c>.</param>
public sealed record BulkWriteUpsert(int Index, BsonValue Id);

/// <summary>What a bulk write (or <c>InsertMany</c>) did, over all the batches it was sent in.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
public sealed class BulkWriteResult<TDocument>
{
    internal BulkWriteResult(bool acknowledged, int requestCount, long inserted, long matched, long modified, long deleted,
        IReadOnlyList<BulkWriteUpsert> upserts, IReadOnlyList<WriteModel<TDocument>> processed)
    {
        IsAcknowledged = acknowledged;
        RequestCount = requestCount;
        InsertedCount = inserted;
        MatchedCount = matched;
        ModifiedCount = modified;
        DeletedCount = deleted;
        Upserts = upserts;
        ProcessedRequests = processed;
    }

    /// <summary>Whether the server acknowledged the writes (false with <c>w: 0</c>: the counts are then zero).</summary>
    public bool IsAcknowledged { get; }

    /// <summary>How many requests the bulk write had.</summary>
    public int RequestCount { get; }

    /// <summary>Documents inserted by insert requests.</summary>
    public long InsertedCount { get; }

    /// <summary>Documents matched by update and replace requests.</summary>
    public long MatchedCount { get; }

    /// <summary>Documents changed by update and replace requests.</summary>
    public long ModifiedCount { get; }

    /// <summary>Whether <see cref="ModifiedCount"/> is known.</summary>
    public bool IsModifiedCountAvailable => IsAcknowledged;

    /// <summary>Documents deleted.</summary>
    public long DeletedCount { get; }

    /// <summary>Documents inserted by upserts (also counted neither as matched nor as inserted).</summary>
    public IReadOnlyList<BulkWriteUpsert> Upserts { get; }

    /// <summary>The requests that were sent to the server (an ordered write stops sending at its first error).</summary>
    public IReadOnlyList<WriteModel<TDocument>> ProcessedRequests { get; }
}
