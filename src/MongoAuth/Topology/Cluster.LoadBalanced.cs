using System.Collections.Concurrent;
using MongoAuth.Connections;
using MongoAuth.Operations;
using MongoAuth.Pooling;
using MongoDB.Bson;

namespace MongoAuth.Topology;

/// <summary>
/// Load-balanced mode (load-balancers spec): one server, the load balancer, never monitored and never marked Unknown;
/// errors clear only the connections of the backend (serviceId) that failed; cursors keep their connection.
/// </summary>
internal sealed partial class Cluster
{
    private readonly ConcurrentDictionary<Connection, PinnedConnection> _pinned = new();

    // The resolved settings: with mongodb+srv, a TXT record may be what turned load-balanced mode on.
    private bool LoadBalanced => (Volatile.Read(ref _resolved)?.Settings ?? _settings).LoadBalanced is true;

    /// <summary>How many connections cursors hold now (load-balanced mode).</summary>
    internal int PinnedConnections => _pinned.Count;

    /// <summary>
    /// After a command on <paramref name="connection"/> answered <paramref name="reply"/>: in load-balanced mode, a
    /// reply that opened a cursor (<c>cursor.id</c> not 0) keeps the connection for that cursor's getMore and
    /// killCursors; otherwise null and the connection goes back to the pool as usual.
    /// </summary>
    public PinnedConnection? PinForCursor(Connection connection, BsonDocument reply)
    {
        if (!LoadBalanced || reply.GetValue("cursor", BsonNull.Value) is not BsonDocument cursor ||
            cursor.GetValue("id", 0L).ToInt64() == 0 || !_pools.TryGetValue(connection.Server, out var pool))
        {
            return null;
        }

        var pin = new PinnedConnection(connection, pool, p => _pinned.TryRemove(p.Connection, out _));
        _pinned[connection] = pin;
        return pin;
    }

    /// <summary>Runs a cursor's follow-up command on the connection its cursor is pinned to. Never retried.</summary>
    public async Task<TResult> ExecuteOnPinnedAsync<TResult>(PinnedConnection pin, Func<Connection, OperationContext, Task<TResult>> operation, OperationContext context)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ObjectDisposedException.ThrowIf(pin.IsReleased, pin);
        try
        {
            return await operation(pin.Connection, context).ConfigureAwait(false);
        }
        catch (MongoException e) when (ClearsPool(e) && _pools.TryGetValue(pin.Connection.Server, out var pool))
        {
            ClearService(pool, pin.Connection);
            throw;
        }
    }

    /// <summary>Whether a connection is held by a cursor (and must not go back to the pool after the command).</summary>
    private bool IsPinned(Connection connection) => LoadBalanced && _pinned.ContainsKey(connection);

    /// <summary>
    /// A network error (or a failed reauthentication) on a connection in load-balanced mode clears the connections of
    /// its backend only; before the handshake named the backend there is nothing to clear. (A new connection whose
    /// authentication fails after hello is cleared by its pool, which the failure tells the backend.)
    /// </summary>
    private static void ClearService(ConnectionPool pool, Connection connection)
    {
        if (connection.ServiceId is { } service)
        {
            pool.ClearService(service, connection.Generation);
        }
    }
}
