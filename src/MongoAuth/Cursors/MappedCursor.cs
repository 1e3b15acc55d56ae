namespace MongoAuth.Cursors;

/// <summary>A cursor whose results are mapped one by one (listCollections entries to their names); disposing it disposes (kills) the inner one.</summary>
internal sealed class MappedCursor<TIn, TOut>(IAsyncCursor<TIn> inner, Func<TIn, TOut> map) : IAsyncCursor<TOut>, IAsyncDisposable
{
    private IEnumerable<TOut>? _current;

    public IEnumerable<TOut> Current => _current ?? throw new InvalidOperationException("Call MoveNext or MoveNextAsync first.");

    public bool MoveNext(CancellationToken cancellationToken = default) => Map(inner.MoveNext(cancellationToken));

    public async Task<bool> MoveNextAsync(CancellationToken cancellationToken = default) =>
        Map(await inner.MoveNextAsync(cancellationToken).ConfigureAwait(false));

    public void Dispose() => inner.Dispose();

    public ValueTask DisposeAsync()
    {
        if (inner is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        inner.Dispose();
        return ValueTask.CompletedTask;
    }

    private bool Map(bool moved)
    {
        _current = moved ? inner.Current.Select(map).ToList() : [];
        return moved;
    }
}
