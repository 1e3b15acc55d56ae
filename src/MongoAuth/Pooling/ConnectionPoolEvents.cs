namespace MongoAuth.Pooling;

/// <summary>Why a pooled connection was closed.</summary>
public enum ConnectionClosedReason
{
    /// <summary>It belonged to an older pool generation (the pool was cleared).</summary>
    Stale,
    /// <summary>It was idle longer than maxIdleTimeMS.</summary>
    Idle,
    /// <summary>It failed (network, protocol or authentication error).</summary>
    Error,
    /// <summary>The pool was closed.</summary>
    PoolClosed,
}

/// <summary>Why a checkout failed.</summary>
public enum CheckOutFailedReason
{
    /// <summary>The pool was closed.</summary>
    PoolClosed,
    /// <summary>No connection became available in time.</summary>
    Timeout,
    /// <summary>Opening a new connection failed.</summary>
    ConnectionError,
}

/// <summary>A connection-pool (CMAP) event. Subscribe with <see cref="MongoClientSettings.ConnectionPoolEventHandler"/>.</summary>
/// <param name="Server">The pool's server.</param>
public abstract record ConnectionPoolEvent(MongoServerAddress Server);

/// <summary>The pool was created (paused).</summary>
/// <param name="Server">The pool's server.</param>
/// <param name="MaxPoolSize">maxPoolSize.</param>
/// <param name="MinPoolSize">minPoolSize.</param>
/// <param name="MaxConnecting">maxConnecting.</param>
public sealed record PoolCreatedEvent(MongoServerAddress Server, int MaxPoolSize, int MinPoolSize, int MaxConnecting) : ConnectionPoolEvent(Server);

/// <summary>The pool became ready.</summary>
/// <param name="Server">The pool's server.</param>
public sealed record PoolReadyEvent(MongoServerAddress Server) : ConnectionPoolEvent(Server);

/// <summary>
/// The pool was cleared: generation incremented, waiters failed. In load-balanced mode only the connections of one
/// service (<see cref="ServiceId"/>) were cleared, and the pool stays ready.
/// </summary>
/// <param name="Server">The pool's server.</param>
/// <param name="Generation">The new generation (of the service, in load-balanced mode).</param>
public sealed record PoolClearedEvent(MongoServerAddress Server, int Generation) : ConnectionPoolEvent(Server)
{
    /// <summary>The load balancer's backend whose connections were cleared; null outside load-balanced mode.</summary>
    public MongoDB.Bson.ObjectId? ServiceId { get; init; }
}

/// <summary>The pool was closed.</summary>
/// <param name="Server">The pool's server.</param>
public sealed record PoolClosedEvent(MongoServerAddress Server) : ConnectionPoolEvent(Server);

/// <summary>A connection is being created.</summary>
/// <param name="Server">The pool's server.</param>
/// <param name="ConnectionId">The connection's id in this pool.</param>
public sealed record ConnectionCreatedEvent(MongoServerAddress Server, long ConnectionId) : ConnectionPoolEvent(Server);

/// <summary>A connection finished its handshake and authentication.</summary>
/// <param name="Server">The pool's server.</param>
/// <param name="ConnectionId">The connection's id in this pool.</param>
/// <param name="Duration">How long establishing it took.</param>
public sealed record ConnectionReadyEvent(MongoServerAddress Server, long ConnectionId, TimeSpan Duration) : ConnectionPoolEvent(Server);

/// <summary>A connection was closed.</summary>
/// <param name="Server">The pool's server.</param>
/// <param name="ConnectionId">The connection's id in this pool.</param>
/// <param name="Reason">Why.</param>
public sealed record ConnectionClosedEvent(MongoServerAddress Server, long ConnectionId, ConnectionClosedReason Reason) : ConnectionPoolEvent(Server);

/// <summary>A checkout started.</summary>
/// <param name="Server">The pool's server.</param>
public sealed record ConnectionCheckOutStartedEvent(MongoServerAddress Server) : ConnectionPoolEvent(Server);

/// <summary>A checkout failed.</summary>
/// <param name="Server">The pool's server.</param>
/// <param name="Reason">Why.</param>
/// <param name="Duration">How long the checkout took.</param>
public sealed record ConnectionCheckOutFailedEvent(MongoServerAddress Server, CheckOutFailedReason Reason, TimeSpan Duration) : ConnectionPoolEvent(Server);

/// <summary>A connection was checked out.</summary>
/// <param name="Server">The pool's server.</param>
/// <param name="ConnectionId">The connection's id in this pool.</param>
/// <param name="Duration">How long the checkout took.</param>
public sealed record ConnectionCheckedOutEvent(MongoServerAddress Server, long ConnectionId, TimeSpan Duration) : ConnectionPoolEvent(Server);

/// <summary>A connection was checked back in.</summary>
/// <param name="Server">The pool's server.</param>
/// <param name="ConnectionId">The connection's id in this pool.</param>
public sealed record ConnectionCheckedInEvent(MongoServerAddress Server, long ConnectionId) : ConnectionPoolEvent(Server);
