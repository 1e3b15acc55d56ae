using MongoDB.Bson;

namespace MongoAuth;

/// <summary>Options of <c>CountDocuments</c>.</summary>
public sealed class CountOptions
{
    /// <summary>How many matching documents to skip before counting.</summary>
    public long? Skip { get; set; }

    /// <summary>Count at most this many documents.</summary>
    public long? Limit { get; set; }

    /// <summary>The index to use.</summary>
    public BsonValue? Hint { get; set; }

    /// <summary>Collation of string comparisons.</summary>
    public BsonDocument? Collation { get; set; }

    /// <summary>A comment the server logs with the operation.</summary>
    public string? Comment { get; set; }
}

/// <summary>Options of <c>EstimatedDocumentCount</c>.</summary>
public sealed class EstimatedDocumentCountOptions
{
    /// <summary>A comment the server logs with the operation.</summary>
    public string? Comment { get; set; }
}

/// <summary>Options of <c>Distinct</c>.</summary>
public sealed class DistinctOptions
{
    /// <summary>Collation of string comparisons.</summary>
    public BsonDocument? Collation { get; set; }

    /// <summary>A comment the server logs with the operation.</summary>
    public string? Comment { get; set; }
}

/// <summary>Options of <c>Aggregate</c>.</summary>
public sealed class AggregateOptions
{
    /// <summary>How many results the server returns per batch.</summary>
    public int? BatchSize { get; set; }

    /// <summary>Whether stages may write temporary files.</summary>
    public bool? AllowDiskUse { get; set; }

    /// <summary>Collation of string comparisons.</summary>
    public BsonDocument? Collation { get; set; }

    /// <summary>The index to use.</summary>
    public BsonValue? Hint { get; set; }

    /// <summary>Values the pipeline can reference as <c>$$name</c>.</summary>
    public BsonDocument? Let { get; set; }

    /// <summary>A comment the server logs with the operation.</summary>
    public string? Comment { get; set; }
}
