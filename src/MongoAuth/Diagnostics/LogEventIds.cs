namespace MongoAuth.Diagnostics;

/// <summary>
/// Every event id MongoAuth logs with, in one place. Ids are stable: a released id keeps its meaning and is never
/// reused, so log queries and alerts can rely on them. Ranges: 1–99 configuration, 100s connections,
/// 200s authentication, 300s the pool, 400s server selection, 500s commands. docs/logging.md lists them.
/// </summary>
internal static class LogEventIds
{
    /// <summary>A connection-string problem that did not stop parsing (unknown, misspelled, repeated, deprecated option).</summary>
    public const int ConnectionStringWarning = 1;

    /// <summary>A connection is open, TLS (protocol, cipher) and authentication done.</summary>
    public const int ConnectionEstablished = 100;

    /// <summary>Opening a connection failed before authentication (TCP, TLS or hello).</summary>
    public const int ConnectionOpenFailed = 101;

    /// <summary>A connection authenticated (mechanism, user, source, speculative, duration).</summary>
    public const int AuthenticationSucceeded = 200;

    /// <summary>A connection failed to authenticate (mechanism, user, source, step, speculative, duration, server code).</summary>
    public const int AuthenticationFailed = 201;

    /// <summary>A pool was cleared (a network or authentication failure): its connections close as they come back.</summary>
    public const int PoolCleared = 300;

    /// <summary>One of the connection-monitoring-and-pooling events, at Debug with the specification's message text.</summary>
    public const int PoolEvent = 301;

    /// <summary>No suitable server yet: server selection goes on waiting (or trying the next host) until its timeout.</summary>
    public const int ServerSelectionWaiting = 400;

    /// <summary>The client's description of the deployment changed (a server's type, the primary, the member list).</summary>
    public const int TopologyChanged = 401;

    /// <summary>A retryable read or write failed once and runs again on a server selected anew.</summary>
    public const int OperationRetried = 402;

    /// <summary>A rescan of a mongodb+srv name changed the hosts: the ones added and removed.</summary>
    public const int SrvHostsChanged = 403;

    /// <summary>A rescan of a mongodb+srv name failed or found no usable record: the hosts stay, the next try comes sooner.</summary>
    public const int SrvRescanFailed = 404;

    /// <summary>A rescan found an SRV record whose host is outside the SRV name's parent domain: it is ignored.</summary>
    public const int SrvRecordIgnored = 405;

    /// <summary>An operation failed: the server refused the command, or the network, a timeout or authentication failed.</summary>
    public const int CommandFailed = 500;
}
