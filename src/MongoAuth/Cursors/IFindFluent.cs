namespace MongoAuth;

/// <summary>
/// A find being put together: <c>people.Find(filter).Sort(sort).Skip(5).Limit(10)</c>, then read with
/// <c>ToListAsync</c>, <c>FirstOrDefaultAsync</c>, <c>ToCursorAsync</c> or <c>await foreach</c>. Each call returns the
/// same find with the change (as in MongoDB.Driver); nothing is sent until the results are read.
/// </summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
/// <typeparam name="TProjection">The type results are read into.</typeparam>
public interface IFindFluent<TDocument, TProjection> : IAsyncCursorSource<TProjection>
{
    /// <summary>The filter.</summary>
    FilterDefinition<TDocument> Filter { get; set; }

    /// <summary>The options (batch size, sort, skip, limit, projection, ...).</summary>
    FindOptions<TDocument, TProjection> Options { get; }

    /// <summary>Sorts the results.</summary>
    IFindFluent<TDocument, TProjection> Sort(SortDefinition<TDocument> sort);

    /// <summary>Skips this many results.</summary>
    IFindFluent<TDocument, TProjection> Skip(int? skip);

    /// <summary>Returns at most this many results.</summary>
    IFindFluent<TDocument, TProjection> Limit(int? limit);

    /// <summary>Returns only some fields, as <see cref="MongoDB.Bson.BsonDocument"/>s.</summary>
    IFindFluent<TDocument, MongoDB.Bson.BsonDocument> Project(ProjectionDefinition<TDocument> projection);

    /// <summary>Returns only some fields, read into <typeparamref name="TNewProjection"/>.</summary>
    IFindFluent<TDocument, TNewProjection> Project<TNewProjection>(ProjectionDefinition<TDocument> projection);

    /// <summary>Counts the documents the filter matches, honouring skip and limit.</summary>
    long CountDocuments(CancellationToken cancellationToken = default);

    /// <summary>Counts the documents the filter matches, honouring skip and limit.</summary>
    Task<long> CountDocumentsAsync(CancellationToken cancellationToken = default);
}

/// <summary>Reading one result of a find: the find is sent with a limit, so no more documents are read than needed.</summary>
public static class FindFluentExtensions
{
    /// <summary>The first result or the default value (the find is sent with <c>limit: 1</c>).</summary>
    public static TProjection? FirstOrDefault<TDocument, TProjection>(this IFindFluent<TDocument, TProjection> find, CancellationToken cancellationToken = default) =>
        Limited(find, 1).ToCursor(cancellationToken).FirstOrDefault(cancellationToken);

    /// <summary>The first result or the default value (the find is sent with <c>limit: 1</c>).</summary>
    public static async Task<TProjection?> FirstOrDefaultAsync<TDocument, TProjection>(this IFindFluent<TDocument, TProjection> find, CancellationToken cancellationToken = default) =>
        await (await Limited(find, 1).ToCursorAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The first result; throws when there is none (the find is sent with <c>limit: 1</c>).</summary>
    public static TProjection First<TDocument, TProjection>(this IFindFluent<TDocument, TProjection> find, CancellationToken cancellationToken = default) =>
        Limited(find, 1).ToCursor(cancellationToken).First(cancellationToken);

    /// <summary>The first result; throws when there is none (the find is sent with <c>limit: 1</c>).</summary>
    public static async Task<TProjection> FirstAsync<TDocument, TProjection>(this IFindFluent<TDocument, TProjection> find, CancellationToken cancellationToken = default) =>
        await (await Limited(find, 1).ToCursorAsync(cancellationToken).ConfigureAwait(false)).FirstAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The only result; throws when there is none or more (the find is sent with <c>limit: 2</c>).</summary>
    public static TProjection Single<TDocument, TProjection>(this IFindFluent<TDocument, TProjection> find, CancellationToken cancellationToken = default) =>
        Limited(find, 2).ToCursor(cancellationToken).Single(cancellationToken);

    /// <summary>The only result; throws when there is none or more (the find is sent with <c>limit: 2</c>).</summary>
    public static async Task<TProjection> SingleAsync<TDocument, TProjection>(this IFindFluent<TDocument, TProjection> find, CancellationToken cancellationToken = default) =>
        await (await Limited(find, 2).ToCursorAsync(cancellationToken).ConfigureAwait(false)).SingleAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The only result or the default value; throws when there are more (the find is sent with <c>limit: 2</c>).</summary>
    public static TProjection? SingleOrDefault<TDocument, TProjection>(this IFindFluent<TDocument, TProjection> find, CancellationToken cancellationToken = default) =>
        Limited(find, 2).ToCursor(cancellationToken).SingleOrDefault(cancellationToken);

    /// <summary>The only result or the default value; throws when there are more (the find is sent with <c>limit: 2</c>).</summary>
    public static async Task<TProjection?> SingleOrDefaultAsync<TDocument, TProjection>(this IFindFluent<TDocument, TProjection> find, CancellationToken cancellationToken = default) =>
        await (await Limited(find, 2).ToCursorAsync(cancellationToken).ConfigureAwait(false)).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>A copy of the find with a limit no larger than <paramref name="limit"/> (the application's find is left as it was).</summary>
    private static IAsyncCursorSource<TProjection> Limited<TDocument, TProjection>(IFindFluent<TDocument, TProjection> find, int limit)
    {
        ArgumentNullException.ThrowIfNull(find);
        return find is Cursors.FindFluent<TDocument, TProjection> ours
            ? ours.WithLimitAtMost(limit)
            : find;
    }
}
