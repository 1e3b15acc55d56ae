using System.Runtime.CompilerServices;
using MongoAuth.Cursors;

namespace MongoAuth;

/// <summary>
/// Reading a whole cursor: into a list, the first or only result, one callback per result, or as an
/// <see cref="IAsyncEnumerable{T}"/> (<c>await foreach (var doc in cursor)</c>). Each disposes the cursor when done, so
/// a cursor left early is killed on the server.
/// </summary>
public static class AsyncCursorExtensions
{
    /// <summary>Every remaining result, in order.</summary>
    public static List<T> ToList<T>(this IAsyncCursor<T> cursor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        using (cursor)
        {
            if (cursor is AsyncCursor<T> server)
            {
                return server.ReadAllAsync(runAsync: false, cancellationToken).GetAwaiter().GetResult();
            }

            var list = new List<T>();
            while (cursor.MoveNext(cancellationToken))
            {
                list.AddRange(cursor.Current);
            }

            return list;
        }
    }

    /// <summary>Every remaining result, in order.</summary>
    public static async Task<List<T>> ToListAsync<T>(this IAsyncCursor<T> cursor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        try
        {
            if (cursor is AsyncCursor<T> server)
            {
                return await server.ReadAllAsync(runAsync: true, cancellationToken).ConfigureAwait(false);
            }

            var list = new List<T>();
            while (await cursor.MoveNextAsync(cancellationToken).ConfigureAwait(false))
            {
                list.AddRange(cursor.Current);
            }

            return list;
        }
        finally
        {
            await DisposeAsync(cursor).ConfigureAwait(false);
        }
    }

    /// <summary>The first result, or the default value when there is none; the rest is not read and the cursor is killed.</summary>
    public static T? FirstOrDefault<T>(this IAsyncCursor<T> cursor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        using (cursor)
        {
            while (cursor.MoveNext(cancellationToken))
            {
                foreach (var item in cursor.Current)
                {
                    return item;
                }
            }

            return default;
        }
    }

    /// <summary>The first result, or the default value when there is none; the rest is not read and the cursor is killed.</summary>
    public static async Task<T?> FirstOrDefaultAsync<T>(this IAsyncCursor<T> cursor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        try
        {
            while (await cursor.MoveNextAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var item in cursor.Current)
                {
                    return item;
                }
            }

            return default;
        }
        finally
        {
            await DisposeAsync(cursor).ConfigureAwait(false);
        }
    }

    /// <summary>The first result; throws <see cref="InvalidOperationException"/> when there is none.</summary>
    public static T First<T>(this IAsyncCursor<T> cursor, CancellationToken cancellationToken = default) =>
        Single(cursor, cancellationToken, first: true) is (true, var item) ? item! : throw NoResult();

    /// <summary>The first result; throws <see cref="InvalidOperationException"/> when there is none.</summary>
    public static async Task<T> FirstAsync<T>(this IAsyncCursor<T> cursor, CancellationToken cancellationToken = default) =>
        await SingleAsync(cursor, cancellationToken, first: true).ConfigureAwait(false) is (true, var item) ? item! : throw NoResult();

    /// <summary>The only result; throws when there is none or more than one.</summary>
    public static T Single<T>(this IAsyncCursor<T> cursor, CancellationToken cancellationToken = default) =>
        Single(cursor, cancellationToken, first: false) is (true, var item) ? item! : throw NoResult();

    /// <summary>The only result; throws when there is none or more than one.</summary>
    public static async Task<T> SingleAsync<T>(this IAsyncCursor<T> cursor, CancellationToken cancellationToken = default) =>
        await SingleAsync(cursor, cancellationToken, first: false).ConfigureAwait(false) is (true, var item) ? item! : throw NoResult();

    /// <summary>The only result or the default value; throws when there is more than one.</summary>
    public static T? SingleOrDefault<T>(this IAsyncCursor<T> cursor, CancellationToken cancellationToken = default) =>
        Single(cursor, cancellationToken, first: false).Item;

    /// <summary>The only result or the default value; throws when there is more than one.</summary>
    public static async Task<T?> SingleOrDefaultAsync<T>(this IAsyncCursor<T> cursor, CancellationToken cancellationToken = default) =>
        (await SingleAsync(cursor, cancellationToken, first: false).ConfigureAwait(false)).Item;

    /// <summary>Whether there is any result.</summary>
    public static bool Any<T>(this IAsyncCursor<T> cursor, CancellationToken cancellationToken = default) =>
        Single(cursor, cancellationToken, first: true).Found;

    /// <summary>Whether there is any result.</summary>
    public static async Task<bool> AnyAsync<T>(this IAsyncCursor<T> cursor, CancellationToken cancellationToken = default) =>
        (await SingleAsync(cursor, cancellationToken, first: true).ConfigureAwait(false)).Found;

    /// <summary>Calls <paramref name="processor"/> for each result, in order.</summary>
    public static async Task ForEachAsync<T>(this IAsyncCursor<T> cursor, Func<T, Task> processor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(processor);
        await foreach (var item in cursor.ToAsyncEnumerable(cancellationToken).ConfigureAwait(false))
        {
            await processor(item).ConfigureAwait(false);
        }
    }

    /// <summary>Calls <paramref name="processor"/> for each result, in order.</summary>
    public static Task ForEachAsync<T>(this IAsyncCursor<T> cursor, Action<T> processor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(processor);
        return cursor.ForEachAsync(item =>
        {
            processor(item);
            return Task.CompletedTask;
        }, cancellationToken);
    }

    /// <summary>The results one by one, fetching batches synchronously as the enumeration goes; disposing the enumerator kills an unfinished cursor.</summary>
    public static IEnumerable<T> ToEnumerable<T>(this IAsyncCursor<T> cursor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        return Enumerate(cursor, cancellationToken);
    }

    /// <summary>The results one by one, fetching batches as the enumeration goes; disposing the enumerator kills an unfinished cursor.</summary>
    public static IAsyncEnumerable<T> ToAsyncEnumerable<T>(this IAsyncCursor<T> cursor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        return EnumerateAsync(cursor, cancellationToken);
    }

    /// <summary>Makes <c>await foreach (var document in cursor)</c> work.</summary>
    public static IAsyncEnumerator<T> GetAsyncEnumerator<T>(this IAsyncCursor<T> cursor, CancellationToken cancellationToken = default) =>
        cursor.ToAsyncEnumerable(cancellationToken).GetAsyncEnumerator(cancellationToken);

    private static IEnumerable<T> Enumerate<T>(IAsyncCursor<T> cursor, CancellationToken cancellationToken)
    {
        using (cursor)
        {
            while (cursor.MoveNext(cancellationToken))
            {
                foreach (var item in cursor.Current)
                {
                    yield return item;
                }
            }
        }
    }

    private static async IAsyncEnumerable<T> EnumerateAsync<T>(IAsyncCursor<T> cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            while (await cursor.MoveNextAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var item in cursor.Current)
                {
                    yield return item;
                }
            }
        }
        finally
        {
            await DisposeAsync(cursor).ConfigureAwait(false);
        }
    }

    private static (bool Found, T? Item) Single<T>(IAsyncCursor<T> cursor, CancellationToken cancellationToken, bool first)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        using (cursor)
        {
            var found = (false, default(T));
            while (cursor.MoveNext(cancellationToken))
            {
                foreach (var item in cursor.Current)
                {
                    if (found.Item1)
                    {
                        throw new InvalidOperationException("The sequence contains more than one element.");
                    }

                    found = (true, item);
                    if (first)
                    {
                        return found;
                    }
                }
            }

            return found;
        }
    }

    private static async Task<(bool Found, T? Item)> SingleAsync<T>(IAsyncCursor<T> cursor, CancellationToken cancellationToken, bool first)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        try
        {
            var found = (false, default(T));
            while (await cursor.MoveNextAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var item in cursor.Current)
                {
                    if (found.Item1)
                    {
                        throw new InvalidOperationException("The sequence contains more than one element.");
                    }

                    found = (true, item);
                    if (first)
                    {
                        return found;
                    }
                }
            }

            return found;
        }
        finally
        {
            await DisposeAsync(cursor).ConfigureAwait(false);
        }
    }

    private static InvalidOperationException NoResult() => new("The sequence contains no elements.");

    /// <summary>Kills an unfinished cursor without blocking when the cursor can do so asynchronously.</summary>
    private static ValueTask DisposeAsync<T>(IAsyncCursor<T> cursor)
    {
        if (cursor is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        cursor.Dispose();
        return ValueTask.CompletedTask;
    }
}
