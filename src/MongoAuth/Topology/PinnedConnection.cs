using MongoAuth.Connections;
using MongoAuth.Pooling;

namespace MongoAuth.Topology;

/// <summary>
/// A connection kept out of its pool for a cursor in load-balanced mode: the cursor lives on one backend behind the
/// load balancer, which only that connection reaches, so its getMore and killCursors must use it (load-balancers
/// spec, "Connection Pinning"). Released once, when the cursor is exhausted, killed or disposed.
/// </summary>
internal sealed class PinnedConnection(Connection connection, ConnectionPool pool, Action<PinnedConnection> unpinned)
{
    private int _released;

    public Connection Connection => connection;

    public bool IsReleased => Volatile.Read(ref _released) != 0;

    /// <summary>Returns the connection to its pool (a broken one is closed there); later calls do nothing.</summary>
    public async ValueTask ReleaseAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        unpinned(this);
        await pool.CheckInAsync(connection).ConfigureAwait(false);
    }
}
