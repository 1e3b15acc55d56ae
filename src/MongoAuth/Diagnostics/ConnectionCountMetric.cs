using System.Collections.Concurrent;
using System.Diagnostics;
using MongoAuth.Pooling;

namespace MongoAuth.Diagnostics;

/// <summary>
/// <c>db.client.connection.count</c> by state (<c>idle</c>, <c>used</c>), kept from the pool's events: ready → idle,
/// checked out → used, checked in → idle, closed → gone. Only connections that became ready while the instrument was
/// being listened to are counted, so a listener attached late sees consistent counts (never below zero).
/// </summary>
internal sealed class ConnectionCountMetric
{
    private const string Idle = "idle";
    private const string Used = "used";

    // Per connection, whether it is in use; only connections counted as they became ready are here.
    private readonly ConcurrentDictionary<(MongoServerAddress Server, long Id), bool> _counted = new();

    /// <summary>Whether events change anything: the instrument is listened to, or connections counted earlier are still open.</summary>
    public bool IsActive => !_counted.IsEmpty || Instruments.ConnectionCount.Enabled;

    public void On(ConnectionPoolEvent e)
    {
        if (!IsActive)
        {
            return;
        }
        switch (e)
        {
            case ConnectionReadyEvent ready when Instruments.ConnectionCount.Enabled:
                if (_counted.TryAdd((ready.Server, ready.ConnectionId), false))
                {
                    Add(ready.Server, Idle, 1);
                }
                break;
            case ConnectionCheckedOutEvent checkedOut:
                Move(checkedOut.Server, checkedOut.ConnectionId, toUsed: true);
                break;
            case ConnectionCheckedInEvent checkedIn:
                Move(checkedIn.Server, checkedIn.ConnectionId, toUsed: false);
                break;
            case ConnectionClosedEvent closed:
                if (_counted.TryRemove((closed.Server, closed.ConnectionId), out var used))
                {
                    Add(closed.Server, used ? Used : Idle, -1);
                }
                break;
        }
    }

    private void Move(MongoServerAddress server, long id, bool toUsed)
    {
        if (_counted.TryUpdate((server, id), toUsed, !toUsed))
        {
            Add(server, toUsed ? Idle : Used, -1);
            Add(server, toUsed ? Used : Idle, 1);
        }
    }

    private static void Add(MongoServerAddress server, string state, long delta) =>
        Instruments.ConnectionCount.Add(delta, new TagList
        {
            { SemanticConventions.ConnectionPoolName, Instruments.PoolName(server) },
            { SemanticConventions.ConnectionState, state },
            { SemanticConventions.DbSystemName, SemanticConventions.DbSystemMongoDb },
        });
}
