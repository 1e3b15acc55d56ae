using Microsoft.Extensions.Logging;
using MongoAuth.Diagnostics;

namespace MongoAuth.Pooling;

/// <summary>
/// Publishes a pool event to the subscriber, to the connection-count metric, and as a Debug log with the CMAP message
/// texts (a cleared pool also at Information).
/// </summary>
internal sealed class ConnectionPoolLog(Action<ConnectionPoolEvent>? handler, ILogger logger)
{
    private static readonly EventId PoolEventId = new(LogEventIds.PoolEvent, "ConnectionPoolEvent");
    private readonly ConnectionCountMetric _connectionCount = new();

    /// <summary>
    /// Whether an event would reach anyone: a subscriber, the connection-count metric or a Debug log. The pool makes
    /// the events of every checkout and check-in only then (a cleared pool's Information log is not among them).
    /// </summary>
    public bool IsObserved => handler is not null || _connectionCount.IsActive || logger.IsEnabled(LogLevel.Debug);

    public void Publish(ConnectionPoolEvent e)
    {
        handler?.Invoke(e);
        _connectionCount.On(e);
        if (e is PoolClearedEvent cleared)
        {
            Log.PoolCleared(logger, cleared.Server.ToString(), cleared.Generation);
        }
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }
        var (text, id, duration) = e switch
        {
            PoolCreatedEvent => ("Connection pool created", null, null),
            PoolReadyEvent => ("Connection pool ready", null, null),
            PoolClearedEvent => ("Connection pool cleared", null, null),
            PoolClosedEvent => ("Connection pool closed", null, null),
            ConnectionCreatedEvent c => ("Connection created", c.ConnectionId, null),
            ConnectionReadyEvent r => ("Connection ready", r.ConnectionId, r.Duration),
            ConnectionClosedEvent c => ($"Connection closed ({c.Reason})", c.ConnectionId, null),
            ConnectionCheckOutStartedEvent => ("Connection checkout started", null, null),
            ConnectionCheckOutFailedEvent f => ($"Connection checkout failed ({f.Reason})", null, f.Duration),
            ConnectionCheckedOutEvent o => ("Connection checked out", o.ConnectionId, o.Duration),
            ConnectionCheckedInEvent i => ("Connection checked in", i.ConnectionId, null),
            _ => (e.GetType().Name, (long?)null, (TimeSpan?)null),
        };
#pragma warning disable CA1848, CA2254 // One generic structured log line for eleven events; the text is the CMAP message.
        logger.LogDebug(PoolEventId, "{Message} serverHost={ServerHost} serverPort={ServerPort} driverConnectionId={DriverConnectionId} durationMS={DurationMS}",
            text, e.Server.Host, e.Server.Port, id, duration?.TotalMilliseconds);
#pragma warning restore CA1848, CA2254
    }
}
