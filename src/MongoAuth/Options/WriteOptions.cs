using MongoDB.Bson;

namespace MongoAuth;

/// <summary>Options of <c>InsertOne</c>.</summary>
public sealed class InsertOneOptions
{
    /// <summary>Whether the server skips schema validation.</summary>
    public bool? BypassDocumentValidation { get; set; }

    /// <summary>A comment the server logs with the operation.</summary>
    public BsonValue? Comment { get; set; }
}

/// <summary>Options of <c>InsertMany</c>.</summary>
public sealed class InsertManyOptions
{
    /// <summary>Whether the server stops at the first failed insert (true, the default) or tries them all.</summary>
    public bool IsOrdered { get; set; } = true;

    /// <summary>Whether the server skips schema validation.</summary>
    public bool? BypassDocumentValidation { get; set; }

    /// <summary>A comment the server logs with the operation.</summary>
    public BsonValue? Comment { get; set; }
}

/// <summary>Options of <c>UpdateOne</c>/<c>UpdateMany</c>.</summary>
public sealed class UpdateOptions
{
    /// <summary>Whether to insert a document when none matches.</summary>
    public bool IsUpsert { get; set; }

    /// <summary>Filters choosing which array elements <c>$[name]</c> updates.</summary>
    public IEnumerable<BsonDocument>? ArrayFilters { get; set; }

    /// <summary>Collation of string comparisons.</summary>
    public BsonDocument? Collation { get; set; }

    /// <summary>The index to use.</summary>
    public BsonValue? Hint { get; set; }

    /// <summary>Whether the server skips schema validation.</summary>
    public bool? BypassDocumentValidation { get; set; }

    /// <summary>A comment the server logs with the operation.</summary>
    public BsonValue? Comment { get; set; }
}

/// <summary>Options of <c>ReplaceOne</c>.</summary>
public sealed class ReplaceOptions
{
    /// <summary>Whether to insert the replacement when no document matches.</summary>
    public bool IsUpsert { get; set; }

    /// <summary>Collation of string comparisons.</summary>
    public BsonDocument? Collation { get; set; }

    /// <summary>The index to use.</summary>
    public BsonValue? Hint { get; set; }

    /// <summary>Whether the server skips schema validation.</summary>
    public bool? BypassDocumentValidation { get; set; }

    /// <summary>A comment the server logs with the operation.</summary>
    public BsonValue? Comment { get; set; }
}

/// <summary>Options of <c>DeleteOne</c>/<c>DeleteMany</c>.</summary>
public sealed class DeleteOptions
{
    /// <summary>Collation of string comparisons.</summary>
    public BsonDocument? Collation { get; set; }

    /// <summary>The index to use.</summary>
    public BsonValue? Hint { get; set; }

    /// <summary>A comment the server logs with the operation.</summary>
    public BsonValue? Comment { get; set; }
}

/// <summary>Options of <c>BulkWrite</c>.</summary>
public sealed class BulkWriteOptions
{
    /// <summary>Whether the server stops at the first failed operation (true, the default) or tries them all.</summary>
    public bool IsOrdered { get; set; } = true;

    /// <summary>Whether the server skips schema validation.</summary>
    public bool? BypassDocumentValidation { get; set; }

    /// <summary>A comment the server logs with the operation.</summary>
    public BsonValue? Comment { get; set; }
}
