using MongoDB.Bson;

namespace MongoAuth;

/// <summary>Options of an index being created.</summary>
public sealed class CreateIndexOptions
{
    /// <summary>The index name; by default the keys joined as mongod names them (<c>name_1_age_-1</c>).</summary>
    public string? Name { get; set; }

    /// <summary>Whether two documents may not have the same key (a duplicate insert then fails with 11000).</summary>
    public bool? Unique { get; set; }

    /// <summary>Whether documents without the indexed fields are left out of the index.</summary>
    public bool? Sparse { get; set; }

    /// <summary>For a TTL index: how long after the indexed date a document is removed.</summary>
    public TimeSpan? ExpireAfter { get; set; }

    /// <summary>Only documents matching this filter are indexed.</summary>
    public BsonDocument? PartialFilterExpression { get; set; }

    /// <summary>Collation of the index's string keys.</summary>
    public BsonDocument? Collation { get; set; }
}

/// <summary>An index to create: its keys and options.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
/// <param name="keys">The indexed fields and their order (<c>{ name: 1 }</c>).</param>
/// <param name="options">Name, uniqueness and the other index options.</param>
public sealed class CreateIndexModel<TDocument>(IndexKeysDefinition<TDocument> keys, CreateIndexOptions? options = null)
{
    /// <summary>The indexed fields.</summary>
    public IndexKeysDefinition<TDocument> Keys { get; } = keys ?? throw new ArgumentNullException(nameof(keys));

    /// <summary>The options (null: defaults).</summary>
    public CreateIndexOptions? Options { get; } = options;
}

/// <summary>Options of <c>CreateOne</c>/<c>CreateMany</c> (the command, not the index).</summary>
public sealed class CreateManyIndexesOptions
{
    /// <summary>A comment the server logs with the operation.</summary>
    public BsonValue? Comment { get; set; }
}

/// <summary>Options of <c>CreateCollection</c>.</summary>
public sealed class CreateCollectionOptions
{
    /// <summary>Whether the collection is capped.</summary>
    public bool? Capped { get; set; }

    /// <summary>The size in bytes of a capped collection.</summary>
    public long? MaxSize { get; set; }

    /// <summary>The most documents of a capped collection.</summary>
    public long? MaxDocuments { get; set; }

    /// <summary>A validator (query) new and changed documents must match.</summary>
    public BsonDocument? Validator { get; set; }
}

/// <summary>Options of <c>ListCollectionNames</c>.</summary>
public sealed class ListCollectionNamesOptions
{
    /// <summary>Only collections matching this filter on the <c>listCollections</c> entries (e.g. <c>{ name: /^a/ }</c>).</summary>
    public FilterDefinition<BsonDocument>? Filter { get; set; }
}
