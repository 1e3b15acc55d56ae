using MongoAuth.Connections;
using MongoDB.Bson;

namespace MongoAuth.Sessions;

/// <summary>
/// The implicit session of one operation (and of the cursor it opens). A server session is taken from the pool only
/// once a connection shows the server supports sessions (hello's <c>logicalSessionTimeoutMinutes</c>), and only for
/// acknowledged writes; the same <c>lsid</c> goes on every command of the operation (retries, getMore, killCursors).
/// Retryable writes get a <c>txnNumber</c> only where the server accepts one, the same on a retry.
/// </summary>
internal sealed class ImplicitSession(ServerSessionPool pool) : ILogicalSession
{
    private ServerSession? _session;
    private int _timeoutMinutes;
    private long? _transactionNumber;

    /// <summary>The session's id once one was taken; null while the operation has not used one.</summary>
    public BsonDocument? Id => _session?.Id;

    /// <summary>Adds <c>lsid</c> (and <c>txnNumber</c> for a retryable write) to a command about to go to <paramref name="connection"/>.</summary>
    public void Apply(BsonDocument command, Connection connection, bool retryableWrite = false)
    {
        if (IdFor(connection) is not { } id)
        {
            return;
        }

        command["lsid"] = id;
        if (retryableWrite && connection.Description!.SupportsRetryableWrites)
        {
            // Chosen once per statement batch, so a retry of the same batch repeats it (retryable-writes spec).
            _transactionNumber ??= _session!.NextTransactionNumber();
            command["txnNumber"] = _transactionNumber.Value;
        }
    }

    /// <summary>
    /// The <c>lsid</c> a command about to go to <paramref name="connection"/> carries, taking a server session from the
    /// pool on first use; null when the server does not support sessions.
    /// </summary>
    public BsonDocument? IdFor(Connection connection)
    {
        if (connection.Description?.LogicalSessionTimeoutMinutes is not { } minutes)
        {
            return null;
        }

        _timeoutMinutes = minutes;
        _session ??= pool.Acquire(minutes);
        _session.LastUsed = Environment.TickCount64;
        return _session.Id;
    }

    /// <summary>The next batch of a multi-batch write is a new statement: it gets a new <c>txnNumber</c>.</summary>
    public void NextStatement() => _transactionNumber = null;

    /// <summary>Marks the session dirty after a network error, so it is not pooled again.</summary>
    public void OnError(Exception error)
    {
        if (_session is not null && error is MongoConnectionException)
        {
            _session.IsDirty = true;
        }
    }

    /// <summary>Returns the server session (if one was taken) to the pool; the operation is over.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _session, null) is { } session)
        {
            pool.Release(session, _timeoutMinutes);
        }
    }
}
