namespace MongoAuth.Cursors;

/// <summary>A cursor over results that came whole in one reply (distinct's values, listDatabases): one batch, nothing on the server.</summary>
internal sealed class ListCursor<T>(IReadOnlyList<T> items) : IAsyncCursor<T>
{
    private IReadOnlyList<T>? _pending = items;
    private IEnumerable<T>? _current;

    public IEnumerable<T> Current => _current ?? throw new InvalidOperationException("Call MoveNext or MoveNextAsync first.");

    public bool MoveNext(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = _pending;
        _pending = null;
        _current = pending ?? [];
        return pending is { Count: > 0 };
    }

    public Task<bool> MoveNextAsync(CancellationToken cancellationToken = default) => Task.FromResult(MoveNext(cancellationToken));

    public void Dispose() => _pending = null;
}
