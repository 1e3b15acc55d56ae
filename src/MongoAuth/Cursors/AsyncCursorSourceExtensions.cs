namespace MongoAuth;

/// <summary>
/// The <see cref="AsyncCursorExtensions"/> on something that opens a cursor (a find, an aggregation): each runs the
/// operation and reads its cursor, e.g. <c>await people.Find(filter).ToListAsync()</c> or
/// <c>await foreach (var p in people.Find(filter))</c>.
/// </summary>
public static class AsyncCursorSourceExtensions
{
    /// <summary>Every result, in order.</summary>
    public static List<T> ToList<T>(this IAsyncCursorSource<T> source, CancellationToken cancellationToken = default) =>
        Open(source, cancellationToken).ToList(cancellationToken);

    /// <summary>Every result, in order.</summary>
    public static async Task<List<T>> ToListAsync<T>(this IAsyncCursorSource<T> source, CancellationToken cancellationToken = default) =>
        await (await OpenAsync(source, cancellationToken).ConfigureAwait(false)).ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The first result or the default value.</summary>
    public static T? FirstOrDefault<T>(this IAsyncCursorSource<T> source, CancellationToken cancellationToken = default) =>
        Open(source, cancellationToken).FirstOrDefault(cancellationToken);

    /// <summary>The first result or the default value.</summary>
    public static async Task<T?> FirstOrDefaultAsync<T>(this IAsyncCursorSource<T> source, CancellationToken cancellationToken = default) =>
        await (await OpenAsync(source, cancellationToken).ConfigureAwait(false)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The first result; throws when there is none.</summary>
    public static T First<T>(this IAsyncCursorSource<T> source, CancellationToken cancellationToken = default) =>
        Open(source, cancellationToken).First(cancellationToken);

    /// <summary>The first result; throws when there is none.</summary>
    public static async Task<T> FirstAsync<T>(this IAsyncCursorSource<T> source, CancellationToken cancellationToken = default) =>
        await (await OpenAsync(source, cancellationToken).ConfigureAwait(false)).FirstAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The only result; throws when there is none or more than one.</summary>
    public static T Single<T>(this IAsyncCursorSource<T> source, CancellationToken cancellationToken = default) =>
        Open(source, cancellationToken).Single(cancellationToken);

    /// <summary>The only result; throws when there is none or more than one.</summary>
    public static async Task<T> SingleAsync<T>(this IAsyncCursorSource<T> source, CancellationToken cancellationToken = default) =>
        await (await OpenAsync(source, cancellationToken).ConfigureAwait(false)).SingleAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The only result or the default value; throws when there is more than one.</summary>
    public static T? SingleOrDefault<T>(this IAsyncCursorSource<T> source, CancellationToken cancellationToken = default) =>
        Open(source, cancellationToken).SingleOrDefault(cancellationToken);

    /// <summary>The only result or the default value; throws when there is more than one.</summary>
    public static async Task<T?> SingleOrDefaultAsync<T>(this IAsyncCursorSource<T> source, CancellationToken cancellationToken = default) =>
        await (await OpenAsync(source, cancellationToken).ConfigureAwait(false)).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Whether there is any result.</summary>
    public static bool Any<T>(this IAsyncCursorSource<T> source, CancellationToken cancellationToken = default) =>
        Open(source, cancellationToken).Any(cancellationToken);

    /// <summary>Whether there is any result.</summary>
    public static async Task<bool> AnyAsync<T>(this IAsyncCursorSource<T> source, CancellationToken cancellationToken = default) =>
        await (await OpenAsync(source, cancellationToken).ConfigureAwait(false)).AnyAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Calls <paramref name="processor"/> for each result.</summary>
    public static async Task ForEachAsync<T>(this IAsyncCursorSource<T> source, Func<T, Task> processor, CancellationToken cancellationToken = default) =>
        await (await OpenAsync(source, cancellationToken).ConfigureAwait(false)).ForEachAsync(processor, cancellationToken).ConfigureAwait(false);

    /// <summary>The results one by one, synchronously.</summary>
    public static IEnumerable<T> ToEnumerable<T>(this IAsyncCursorSource<T> source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Enumerate(source, cancellationToken);
    }

    /// <summary>The results one by one; the operation runs when the enumeration starts.</summary>
    public static async IAsyncEnumerable<T> ToAsyncEnumerable<T>(this IAsyncCursorSource<T> source,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cursor = await OpenAsync(source, cancellationToken).ConfigureAwait(false);
        await foreach (var item in cursor.ToAsyncEnumerable(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    /// <summary>Makes <c>await foreach (var document in people.Find(filter))</c> work.</summary>
    public static IAsyncEnumerator<T> GetAsyncEnumerator<T>(this IAsyncCursorSource<T> source, CancellationToken cancellationToken = default) =>
        source.ToAsyncEnumerable(cancellationToken).GetAsyncEnumerator(cancellationToken);

    private static IEnumerable<T> Enumerate<T>(IAsyncCursorSource<T> source, CancellationToken cancellationToken)
    {
        foreach (var item in source.ToCursor(cancellationToken).ToEnumerable(cancellationToken))
        {
            yield return item;
        }
    }

    private static IAsyncCursor<T> Open<T>(IAsyncCursorSource<T> source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.ToCursor(cancellationToken);
    }

    private static Task<IAsyncCursor<T>> OpenAsync<T>(IAsyncCursorSource<T> source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.ToCursorAsync(cancellationToken);
    }
}
