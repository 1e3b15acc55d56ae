using MongoDB.Bson;

namespace MongoAuth.Cursors;

/// <summary>The find of <c>collection.Find(filter)</c>: options collected until the results are read.</summary>
/// <remarks>It reads through the collection's interface (FindAsync/FindSync), so a mocked collection serves it too.</remarks>
internal sealed class FindFluent<TDocument, TProjection>(IMongoCollection<TDocument> collection, FilterDefinition<TDocument> filter,
    FindOptions<TDocument, TProjection> options) : IFindFluent<TDocument, TProjection>
{
    public FilterDefinition<TDocument> Filter { get; set; } = filter;

    public FindOptions<TDocument, TProjection> Options { get; } = options;

    public IFindFluent<TDocument, TProjection> Sort(SortDefinition<TDocument> sort)
    {
        Options.Sort = sort;
        return this;
    }

    public IFindFluent<TDocument, TProjection> Skip(int? skip)
    {
        Options.Skip = skip;
        return this;
    }

    public IFindFluent<TDocument, TProjection> Limit(int? limit)
    {
        Options.Limit = limit;
        return this;
    }

    public IFindFluent<TDocument, BsonDocument> Project(ProjectionDefinition<TDocument> projection) => Project<BsonDocument>(projection);

    public IFindFluent<TDocument, TNewProjection> Project<TNewProjection>(ProjectionDefinition<TDocument> projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        var options = CopyOptions<TNewProjection>();
        options.Projection = projection;
        return new FindFluent<TDocument, TNewProjection>(collection, Filter, options);
    }

    public long CountDocuments(CancellationToken cancellationToken = default) =>
        collection.CountDocuments(Filter, CountOptions(), cancellationToken);

    public Task<long> CountDocumentsAsync(CancellationToken cancellationToken = default) =>
        collection.CountDocumentsAsync(Filter, CountOptions(), cancellationToken);

    public IAsyncCursor<TProjection> ToCursor(CancellationToken cancellationToken = default) =>
        collection.FindSync(Filter, Options, cancellationToken);

    public async Task<IAsyncCursor<TProjection>> ToCursorAsync(CancellationToken cancellationToken = default) =>
        await collection.FindAsync(Filter, Options, cancellationToken).ConfigureAwait(false);

    /// <summary>This find with a limit of at most <paramref name="limit"/>, as a copy.</summary>
    public FindFluent<TDocument, TProjection> WithLimitAtMost(int limit)
    {
        var options = CopyOptions<TProjection>();
        options.Limit = options.Limit is { } current && current != 0 ? Math.Min(Math.Abs(current), limit) : limit;
        return new FindFluent<TDocument, TProjection>(collection, Filter, options);
    }

    public override string ToString() => $"find({Filter})";

    private CountOptions CountOptions() => new()
    {
        Skip = Options.Skip,
        Limit = Options.Limit,
        Hint = Options.Hint,
        Collation = Options.Collation,
        Comment = Options.Comment,
    };

    private FindOptions<TDocument, TNew> CopyOptions<TNew>() => new()
    {
        BatchSize = Options.BatchSize,
        Comment = Options.Comment,
        Hint = Options.Hint,
        MaxTime = Options.MaxTime,
        Collation = Options.Collation,
        AllowDiskUse = Options.AllowDiskUse,
        Sort = Options.Sort,
        Skip = Options.Skip,
        Limit = Options.Limit,
        Projection = Options.Projection,
    };
}
