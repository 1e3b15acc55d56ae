using MongoDB.Bson;

namespace MongoAuth.Sessions;

/// <summary>
/// The client's pool of server sessions (driver-sessions spec, "Server Session Pool"): the most recently used session
/// is handed out first, so few sessions stay alive on the server; sessions about to time out are discarded on the way
/// out and in, and dirty ones are never returned. Thread-safe.
/// </summary>
internal sealed class ServerSessionPool
{
    private readonly LinkedList<ServerSession> _sessions = new();
    private readonly Lock _lock = new();
    private long _created;

    /// <summary>How many sessions this pool has created (for tests: reuse keeps it low).</summary>
    public long Created => Interlocked.Read(ref _created);

    /// <summary>How many sessions are pooled.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>A pooled session that will not time out soon, or a new one.</summary>
    public ServerSession Acquire(int timeoutMinutes)
    {
        var now = Environment.TickCount64;
        lock (_lock)
        {
            while (_sessions.First is { } first)
            {
                _sessions.RemoveFirst();
                if (!first.Value.IsAboutToExpire(timeoutMinutes, now))
                {
                    return first.Value;
                }
            }
        }

        Interlocked.Increment(ref _created);
        return new ServerSession();
    }

    /// <summary>Returns a session after use; it is dropped when dirty or about to time out.</summary>
    public void Release(ServerSession session, int timeoutMinutes)
    {
        var now = Environment.TickCount64;
        lock (_lock)
        {
            // The oldest sessions sit at the back: drop those the server is about to forget.
            while (_sessions.Last is { } last && last.Value.IsAboutToExpire(timeoutMinutes, now))
            {
                _sessions.RemoveLast();
            }

            // A node still in the list would be a second release of the same session: it is pooled once.
            if (!session.IsDirty && !session.IsAboutToExpire(timeoutMinutes, now) && session.PoolNode.List is null)
            {
                _sessions.AddFirst(session.PoolNode);
            }
        }
    }

    /// <summary>Empties the pool and returns the ids of its sessions (for <c>endSessions</c> when the client closes).</summary>
    public List<BsonDocument> Drain()
    {
        lock (_lock)
        {
            var ids = _sessions.Select(s => s.Id).ToList();
            _sessions.Clear();
            return ids;
        }
    }
}
