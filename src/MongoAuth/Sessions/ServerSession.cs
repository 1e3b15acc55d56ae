using MongoDB.Bson;

namespace MongoAuth.Sessions;

/// <summary>
/// A server session (driver-sessions spec): the <c>lsid</c> a command carries, when it was last used, and the
/// transaction numbers of its retryable writes. Used by one operation at a time.
/// </summary>
internal sealed class ServerSession
{
    private long _transactionNumber;

    public ServerSession()
    {
        // The spec's session id: a UUID (binary subtype 4) in a document of its own.
        Id = new BsonDocument("id", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard));
        LastUsed = Environment.TickCount64;
        PoolNode = new LinkedListNode<ServerSession>(this);
    }

    /// <summary>This session's place in the <see cref="ServerSessionPool"/>'s list, made once: returning a session to the pool allocates nothing.</summary>
    public LinkedListNode<ServerSession> PoolNode { get; }

    /// <summary>The <c>lsid</c> value.</summary>
    public BsonDocument Id { get; }

    /// <summary><see cref="Environment.TickCount64"/> of the last command sent with this session.</summary>
    public long LastUsed { get; set; }

    /// <summary>A network error happened while the session was in use: the server may not know its state, so it is not pooled again.</summary>
    public bool IsDirty { get; set; }

    /// <summary>The next <c>txnNumber</c> (1, 2, ...): every retryable write statement gets a new one.</summary>
    public long NextTransactionNumber() => Interlocked.Increment(ref _transactionNumber);

    /// <summary>
    /// Whether the server may time the session out soon: less than a minute left of <paramref name="timeoutMinutes"/>
    /// since its last use (driver-sessions spec, "Server Session Pool").
    /// </summary>
    public bool IsAboutToExpire(int timeoutMinutes, long now) => now - LastUsed >= (timeoutMinutes - 1) * 60_000L;
}
