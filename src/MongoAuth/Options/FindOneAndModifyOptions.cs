using MongoDB.Bson;

namespace MongoAuth;

/// <summary>Which version of the document <c>FindOneAndUpdate</c>/<c>FindOneAndReplace</c> return.</summary>
public enum ReturnDocument
{
    /// <summary>The document as it was before the change (the default).</summary>
    Before,

    /// <summary>The document as it is after the change.</summary>
    After,
}

/// <summary>Options of <c>FindOneAndUpdate</c>.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
public sealed class FindOneAndUpdateOptions<TDocument>
{
    /// <summary>Which document to change when several match.</summary>
    public SortDefinition<TDocument>? Sort { get; set; }

    /// <summary>The fields of the returned document.</summary>
    public ProjectionDefinition<TDocument>? Projection { get; set; }

    /// <summary>Whether to insert a document when none matches.</summary>
    public bool IsUpsert { get; set; }

    /// <summary>Return the document before (default) or after the update.</summary>
    public ReturnDocument ReturnDocument { get; set; }

    /// <summary>Filters choosing which array elements <c>$[name]</c> updates.</summary>
    public IEnumerable<BsonDocument>? ArrayFilters { get; set; }

    /// <summary>Collation of string comparisons.</summary>
    public BsonDocument? Collation { get; set; }

    /// <summary>The index to use.</summary>
    public BsonValue? Hint { get; set; }

    /// <summary>The server-side time limit (<c>maxTimeMS</c>).</summary>
    public TimeSpan? MaxTime { get; set; }
}

/// <summary>Options of <c>FindOneAndReplace</c>.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
public sealed class FindOneAndReplaceOptions<TDocument>
{
    /// <summary>Which document to replace when several match.</summary>
    public SortDefinition<TDocument>? Sort { get; set; }

    /// <summary>The fields of the returned document.</summary>
    public ProjectionDefinition<TDocument>? Projection { get; set; }

    /// <summary>Whether to insert the replacement when no document matches.</summary>
    public bool IsUpsert { get; set; }

    /// <summary>Return the document before (default) or after the replacement.</summary>
    public ReturnDocument ReturnDocument { get; set; }

    /// <summary>Collation of string comparisons.</summary>
    public BsonDocument? Collation { get; set; }

    /// <summary>The index to use.</summary>
    public BsonValue? Hint { get; set; }

    /// <summary>The server-side time limit (<c>maxTimeMS</c>).</summary>
    public TimeSpan? MaxTime { get; set; }
}

/// <summary>Options of <c>FindOneAndDelete</c>.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
public sealed class FindOneAndDeleteOptions<TDocument>
{
    /// <summary>Which document to delete when several match.</summary>
    public SortDefinition<TDocument>? Sort { get; set; }

    /// <summary>The fields of the returned document.</summary>
    public ProjectionDefinition<TDocument>? Projection { get; set; }

    /// <summary>Collation of string comparisons.</summary>
    public BsonDocument? Collation { get; set; }

    /// <summary>The index to use.</summary>
    public BsonValue? Hint { get; set; }

    /// <summary>The server-side time limit (<c>maxTimeMS</c>).</summary>
    public TimeSpan? MaxTime { get; set; }
}
