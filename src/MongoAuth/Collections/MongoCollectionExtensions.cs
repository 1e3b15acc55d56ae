namespace MongoAuth;

/// <summary>The fluent find and the type-inferring find overloads, as MongoDB.Driver has them.</summary>
public static class MongoCollectionExtensions
{
    /// <summary>
    /// A find to refine (<c>.Sort(...).Skip(5).Limit(10)</c>) and read (<c>.ToListAsync()</c>,
    /// <c>.FirstOrDefaultAsync()</c>, <c>await foreach</c>). Nothing is sent until the results are read.
    /// </summary>
    public static IFindFluent<TDocument, TDocument> Find<TDocument>(this IMongoCollection<TDocument> collection, FilterDefinition<TDocument> filter, FindOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(filter);
        var findOptions = new FindOptions<TDocument, TDocument>
        {
            BatchSize = options?.BatchSize,
            Comment = options?.Comment,
            Hint = options?.Hint,
            MaxTime = options?.MaxTime,
            Collation = options?.Collation,
            AllowDiskUse = options?.AllowDiskUse,
        };
        return new Cursors.FindFluent<TDocument, TDocument>(collection, filter, findOptions);
    }

    /// <summary>Runs a find whose results are the collection's document type and returns its cursor.</summary>
    public static Task<IAsyncCursor<TDocument>> FindAsync<TDocument>(this IMongoCollection<TDocument> collection, FilterDefinition<TDocument> filter,
        FindOptions<TDocument, TDocument>? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        return collection.FindAsync<TDocument>(filter, options, cancellationToken);
    }

    /// <summary>The synchronous form of <see cref="FindAsync{TDocument}"/>.</summary>
    public static IAsyncCursor<TDocument> FindSync<TDocument>(this IMongoCollection<TDocument> collection, FilterDefinition<TDocument> filter,
        FindOptions<TDocument, TDocument>? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        return collection.FindSync<TDocument>(filter, options, cancellationToken);
    }
}
