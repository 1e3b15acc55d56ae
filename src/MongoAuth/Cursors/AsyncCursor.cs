using MongoAuth.Collections;
using MongoAuth.Operations;
using MongoAuth.Sessions;
using MongoAuth.Topology;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace MongoAuth.Cursors;

/// <summary>
/// A server cursor (find, aggregate, listCollections, listIndexes): the first batch from the command's reply, then
/// <c>getMore</c> on the server that owns it as the application asks for more. The cursor holds the operation's
/// implicit session until the server reports it exhausted or it is killed. When the application stops early (dispose)
/// or a <c>getMore</c> fails for a reason other than the cursor being gone, the cursor is killed on the server.
/// In load-balanced mode the cursor also holds the connection it was opened on, until the same moments.
/// </summary>
internal sealed class AsyncCursor<T> : IAsyncCursor<T>, IAsyncDisposable
{
    private const int CursorNotFound = 43;
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(10);

    private readonly CommandExecutor _executor;
    private readonly MongoServerAddress _server;
    private readonly string _database;
    private readonly string _collection;
    private readonly IBsonSerializer<T> _serializer;
    private readonly CursorReplySerializer<T> _replies;
    private readonly ImplicitSession _session;
    private readonly PinnedConnection? _pin;
    private readonly int? _batchSize;
    private readonly int _limit;
    private List<T>? _pending;
    private IEnumerable<T>? _current;
    private long _id;
    private int _returned;
    private int _disposed;

    private AsyncCursor(CommandExecutor executor, MongoServerAddress server, PinnedConnection? pin, string database, string collection, long id,
        List<T> firstBatch, IBsonSerializer<T> serializer, CursorReplySerializer<T> replies, ImplicitSession session, int? batchSize, int limit)
    {
        _replies = replies;
        _pin = pin;
        _executor = executor;
        _server = server;
        _database = database;
        _collection = collection;
        _id = id;
        _pending = firstBatch;
        _serializer = serializer;
        _session = session;
        _batchSize = batchSize;
        _limit = limit;
        _returned = firstBatch.Count;
        if (id == 0)
        {
            session.Release();
        }
    }

    /// <summary>The server-side cursor id; 0 once exhausted or killed.</summary>
    internal long Id => _id;

    public IEnumerable<T> Current => _current ?? throw new InvalidOperationException("Call MoveNext or MoveNextAsync first.");

    /// <summary>
    /// The cursor of a command reply (<c>{cursor: {id, ns, firstBatch}}</c>). <paramref name="limit"/> (find's limit,
    /// 0 for none) caps what getMore asks for, so no more documents cross the wire than the application wants.
    /// <paramref name="replies"/> read the reply (its batch is taken from them) and read the getMore replies; without
    /// them (a reply decoded as a plain document) the batch is read from the reply.
    /// </summary>
    public static AsyncCursor<T> FromReply(CommandExecutor executor, CommandReply reply, string database, IBsonSerializer<T> serializer,
        ImplicitSession session, int? batchSize, int limit = 0, CursorReplySerializer<T>? replies = null)
    {
        var cursor = reply.Reply["cursor"].AsBsonDocument;
        var ns = cursor.GetValue("ns", BsonString.Empty).AsString;
        var dot = ns.IndexOf('.', StringComparison.Ordinal);
        var collection = dot >= 0 ? ns[(dot + 1)..] : ns;
        var databaseName = dot >= 0 ? ns[..dot] : database;
        var first = replies?.TakeBatch() ?? DocumentCodec.ReadBatch(serializer, cursor["firstBatch"].AsBsonArray);
        return new AsyncCursor<T>(executor, reply.Server, reply.Pin, databaseName, collection, cursor["id"].ToInt64(), first, serializer,
            replies ?? new CursorReplySerializer<T>(serializer), session, batchSize, limit);
    }

    public bool MoveNext(CancellationToken cancellationToken = default) =>
        MoveNextAsync(runAsync: false, cancellationToken).GetAwaiter().GetResult();

    public Task<bool> MoveNextAsync(CancellationToken cancellationToken = default) =>
        MoveNextAsync(runAsync: true, cancellationToken);

    private async Task<bool> MoveNextAsync(bool runAsync, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_pending is { } pending)
        {
            _pending = null;
            if (pending.Count > 0 || _id == 0)
            {
                _current = pending;
                return pending.Count > 0;
            }
        }

        while (_id != 0)
        {
            var batch = await GetMoreAsync(runAsync, cancellationToken).ConfigureAwait(false);
            if (batch.Count > 0)
            {
                _current = batch;
                return true;
            }
        }

        _current = [];
        return false;
    }

    /// <summary>
    /// Every remaining result in one list (<c>ToList</c>): the batch not yet returned becomes the list, and each
    /// getMore's documents are read straight onto its end, instead of a list per batch copied into another.
    /// </summary>
    internal async Task<List<T>> ReadAllAsync(bool runAsync, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var list = _pending ?? [];
        _pending = null;
        while (_id != 0)
        {
            await GetMoreAsync(runAsync, cancellationToken, into: list).ConfigureAwait(false);
        }

        _current = [];
        return list;
    }

    /// <summary>Runs a getMore; its documents go into a new list, or onto the end of <paramref name="into"/> (which is returned).</summary>
    private async Task<List<T>> GetMoreAsync(bool runAsync, CancellationToken cancellationToken, List<T>? into = null)
    {
        var command = new BsonDocument { { "getMore", _id }, { "collection", _collection } };
        var size = _batchSize ?? 0;
        if (_limit > 0)
        {
            // Never ask for more than the limit leaves (find spec: batchSize of getMore).
            var left = _limit - _returned;
            size = size > 0 ? Math.Min(size, left) : left;
        }

        if (size > 0)
        {
            command["batchSize"] = size;
        }

        BsonDocument reply;
        var before = into?.Count ?? 0;
        _replies.Into = into;
        try
        {
            reply = await _executor.OnServerAsync(_server, _pin, _database, command, _session, _executor.Start(runAsync, cancellationToken), _replies).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var gone = e is MongoCommandException { Code: CursorNotFound };
            if (!gone)
            {
                // The cursor may still be open on the server (a timeout, a cancelled call, a transient error): kill it
                // rather than leave it until the server's idle timeout.
                await KillAsync(runAsync).ConfigureAwait(false);
            }

            _id = 0;
            await ReleaseAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _replies.Into = null;
        }

        var cursor = reply["cursor"].AsBsonDocument;
        _id = cursor["id"].ToInt64();
        var batch = _replies.TakeBatch() ?? Append(into, DocumentCodec.ReadBatch(_serializer, cursor["nextBatch"].AsBsonArray));
        _returned += batch.Count - before;
        if (_limit > 0 && _returned >= _limit && _id != 0)
        {
            await KillAsync(runAsync).ConfigureAwait(false);
        }

        if (_id == 0)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }

        return batch;
    }

    private static List<T> Append(List<T>? into, List<T> batch)
    {
        if (into is null)
        {
            return batch;
        }

        into.AddRange(batch);
        return into;
    }

    /// <summary>Kills the server cursor (best effort: the cursor is given up either way) and ends the session's use.</summary>
    private async Task KillAsync(bool runAsync)
    {
        var id = _id;
        _id = 0;
        if (id == 0)
        {
            return;
        }

        try
        {
            var command = new BsonDocument { { "killCursors", _collection }, { "cursors", new BsonArray { id } } };
            var context = OperationContext.Start(runAsync, CancellationToken.None, _executor.Client.Settings.Timeout)
                .WithTimeout(KillTimeout, TimeoutOption.SocketTimeoutMS);
            await _executor.OnServerAsync(_server, _pin, _database, command, _session, context).ConfigureAwait(false);
        }
        catch (MongoException)
        {
            // Killing is a courtesy to the server: if it cannot be reached, the cursor times out there on its own.
        }
        catch (OperationCanceledException)
        {
            // As above.
        }
    }

    public void Dispose() => DisposeAsync(runAsync: false).GetAwaiter().GetResult();

    public ValueTask DisposeAsync() => new(DisposeAsync(runAsync: true));

    private async Task DisposeAsync(bool runAsync)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await KillAsync(runAsync).ConfigureAwait(false);
        await ReleaseAsync().ConfigureAwait(false);
    }

    /// <summary>The cursor is over: its session goes back to the pool, and its pinned connection (load-balanced mode) too.</summary>
    private async ValueTask ReleaseAsync()
    {
        _session.Release();
        if (_pin is not null)
        {
            await _pin.ReleaseAsync().ConfigureAwait(false);
        }
    }
}
