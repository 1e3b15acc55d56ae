namespace MongoAuth;

/// <summary>One request of a bulk write: an insert, update, replace or delete model.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
public abstract class WriteModel<TDocument>
{
    private protected WriteModel()
    {
    }

    /// <summary>Whether the request changes at most one document (only those may be retried).</summary>
    internal abstract bool IsSingleStatement { get; }
}

/// <summary>Inserts one document (an ObjectId <c>_id</c> is assigned first when the document has an empty one).</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
/// <param name="document">The document.</param>
public sealed class InsertOneModel<TDocument>(TDocument document) : WriteModel<TDocument>
{
    /// <summary>The document to insert.</summary>
    public TDocument Document { get; } = document ?? throw new ArgumentNullException(nameof(document));

    internal override bool IsSingleStatement => true;
}

/// <summary>Updates the first document matching a filter.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
/// <param name="filter">Which document.</param>
/// <param name="update">The update operators or pipeline.</param>
public sealed class UpdateOneModel<TDocument>(FilterDefinition<TDocument> filter, UpdateDefinition<TDocument> update) : WriteModel<TDocument>
{
    /// <summary>Which document.</summary>
    public FilterDefinition<TDocument> Filter { get; } = filter ?? throw new ArgumentNullException(nameof(filter));

    /// <summary>The update.</summary>
    public UpdateDefinition<TDocument> Update { get; } = update ?? throw new ArgumentNullException(nameof(update));

    /// <summary>Whether to insert a document when none matches.</summary>
    public bool IsUpsert { get; set; }

    /// <summary>Filters for <c>$[name]</c> array updates.</summary>
    public IEnumerable<MongoDB.Bson.BsonDocument>? ArrayFilters { get; set; }

    internal override bool IsSingleStatement => true;
}

/// <summary>Updates every document matching a filter.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
/// <param name="filter">Which documents.</param>
/// <param name="update">The update operators or pipeline.</param>
public sealed class UpdateManyModel<TDocument>(FilterDefinition<TDocument> filter, UpdateDefinition<TDocument> update) : WriteModel<TDocument>
{
    /// <summary>Which documents.</summary>
    public FilterDefinition<TDocument> Filter { get; } = filter ?? throw new ArgumentNullException(nameof(filter));

    /// <summary>The update.</summary>
    public UpdateDefinition<TDocument> Update { get; } = update ?? throw new ArgumentNullException(nameof(update));

    /// <summary>Whether to insert a document when none matches.</summary>
    public bool IsUpsert { get; set; }

    /// <summary>Filters for <c>$[name]</c> array updates.</summary>
    public IEnumerable<MongoDB.Bson.BsonDocument>? ArrayFilters { get; set; }

    internal override bool IsSingleStatement => false;
}

/// <summary>Replaces the first document matching a filter.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
/// <param name="filter">Which document.</param>
/// <param name="replacement">The new document (its <c>_id</c>, if any, must be the old one's).</param>
public sealed class ReplaceOneModel<TDocument>(FilterDefinition<TDocument> filter, TDocument replacement) : WriteModel<TDocument>
{
    /// <summary>Which document.</summary>
    public FilterDefinition<TDocument> Filter { get; } = filter ?? throw new ArgumentNullException(nameof(filter));

    /// <summary>The new document.</summary>
    public TDocument Replacement { get; } = replacement ?? throw new ArgumentNullException(nameof(replacement));

    /// <summary>Whether to insert the replacement when no document matches.</summary>
    public bool IsUpsert { get; set; }

    internal override bool IsSingleStatement => true;
}

/// <summary>Deletes the first document matching a filter.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
/// <param name="filter">Which document.</param>
public sealed class DeleteOneModel<TDocument>(FilterDefinition<TDocument> filter) : WriteModel<TDocument>
{
    /// <summary>Which document.</summary>
    public FilterDefinition<TDocument> Filter { get; } = filter ?? throw new ArgumentNullException(nameof(filter));

    internal override bool IsSingleStatement => true;
}

/// <summary>Deletes every document matching a filter.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
/// <param name="filter">Which documents.</param>
public sealed class DeleteManyModel<TDocument>(FilterDefinition<TDocument> filter) : WriteModel<TDocument>
{
    /// <summary>Which documents.</summary>
    public FilterDefinition<TDocument> Filter { get; } = filter ?? throw new ArgumentNullException(nameof(filter));

    internal override bool IsSingleStatement => false;
}
