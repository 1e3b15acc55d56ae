using MongoDB.Bson;

namespace MongoAuth;

/// <summary>Options of <c>Find</c>.</summary>
public class FindOptions
{
    /// <summary>How many documents the server returns per batch (the first reply and each <c>getMore</c>); server default when null.</summary>
    public int? BatchSize { get; set; }

    /// <summary>A comment the server logs with the operation.</summary>
    public string? Comment { get; set; }

    /// <summary>The index to use (its name as a string, or its key document).</summary>
    public BsonValue? Hint { get; set; }

    /// <summary>The server-side time limit (<c>maxTimeMS</c>); ignored when the client sets <c>timeoutMS</c>.</summary>
    public TimeSpan? MaxTime { get; set; }

    /// <summary>Collation of string comparisons.</summary>
    public BsonDocument? Collation { get; set; }

    /// <summary>Whether the server may write temporary files for a large sort.</summary>
    public bool? AllowDiskUse { get; set; }
}

/// <summary>Options of <c>FindAsync</c>/<c>FindSync</c>, with the parts the fluent interface sets.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
/// <typeparam name="TProjection">The type results are read into.</typeparam>
public class FindOptions<TDocument, TProjection> : FindOptions
{
    /// <summary>The sort order.</summary>
    public SortDefinition<TDocument>? Sort { get; set; }

    /// <summary>How many matching documents to skip.</summary>
    public int? Skip { get; set; }

    /// <summary>At most this many documents (a negative value: one batch of that many, then the cursor closes).</summary>
    public int? Limit { get; set; }

    /// <summary>The fields to return.</summary>
    public ProjectionDefinition<TDocument>? Projection { get; set; }
}

/// <summary>Options of <c>FindAsync</c>/<c>FindSync</c> whose results are the collection's own document type.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
public sealed class FindOptions<TDocument> : FindOptions<TDocument, TDocument>
{
}
