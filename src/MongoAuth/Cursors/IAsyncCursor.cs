namespace MongoAuth;

/// <summary>
/// Results the server returns in batches: <see cref="MoveNext"/>/<see cref="MoveNextAsync"/> fetch the next batch
/// (a <c>getMore</c> once the one in hand is used up) and <see cref="Current"/> holds it. Disposing a cursor the
/// server still holds kills it there (<c>killCursors</c>). <c>await foreach</c> works on a cursor directly.
/// </summary>
/// <typeparam name="TDocument">The type of the results.</typeparam>
public interface IAsyncCursor<out TDocument> : IDisposable
{
    /// <summary>The current batch; valid after <see cref="MoveNext"/> returned true.</summary>
    IEnumerable<TDocument> Current { get; }

    /// <summary>Moves to the next batch; false when there is none.</summary>
    bool MoveNext(CancellationToken cancellationToken = default);

    /// <summary>Moves to the next batch; false when there is none.</summary>
    Task<bool> MoveNextAsync(CancellationToken cancellationToken = default);
}

/// <summary>Something that opens a cursor when asked (a find, an aggregation), so it can be run again.</summary>
/// <typeparam name="TDocument">The type of the results.</typeparam>
public interface IAsyncCursorSource<TDocument>
{
    /// <summary>Runs the operation and returns its cursor.</summary>
    IAsyncCursor<TDocument> ToCursor(CancellationToken cancellationToken = default);

    /// <summary>Runs the operation and returns its cursor.</summary>
    Task<IAsyncCursor<TDocument>> ToCursorAsync(CancellationToken cancellationToken = default);
}
