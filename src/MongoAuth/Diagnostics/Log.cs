using Microsoft.Extensions.Logging;

namespace MongoAuth.Diagnostics;

/// <summary>
/// MongoAuth's log messages, source-generated (no boxing, no formatting while the level is off), each with its stable
/// id from <see cref="LogEventIds"/>. Parameters are names, codes and durations: a password, token, key or signature is
/// never an argument here, and failure texts are the exceptions' messages, which never hold one.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = LogEventIds.ConnectionStringWarning, EventName = "ConnectionStringWarning", Level = LogLevel.Warning,
        Message = "Connection string: {Warning}")]
    public static partial void ConnectionStringWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = LogEventIds.ConnectionEstablished, EventName = "ConnectionEstablished", Level = LogLevel.Debug,
        Message = "Connection {ConnectionId} to {Server} established in {DurationMs:F1} ms; TLS: {TlsProtocol} {TlsCipher}; authenticated: {Mechanism}")]
    public static partial void ConnectionEstablished(ILogger logger, long connectionId, string server, double durationMs, string tlsProtocol, string tlsCipher, string mechanism);

    [LoggerMessage(EventId = LogEventIds.ConnectionOpenFailed, EventName = "ConnectionOpenFailed", Level = LogLevel.Debug,
        Message = "Connection {ConnectionId} to {Server} failed after {DurationMs:F1} ms: {Error}")]
    public static partial void ConnectionOpenFailed(ILogger logger, long connectionId, string server, double durationMs, string error);

    [LoggerMessage(EventId = LogEventIds.AuthenticationSucceeded, EventName = "AuthenticationSucceeded", Level = LogLevel.Debug,
        Message = "Authenticated connection {ConnectionId} to {Server} with {Mechanism} as user '{User}' on '{AuthSource}' (speculative: {Speculative}) in {DurationMs:F1} ms")]
    public static partial void AuthenticationSucceeded(ILogger logger, long connectionId, string server, string mechanism, string user, string authSource, bool speculative, double durationMs);

    [LoggerMessage(EventId = LogEventIds.AuthenticationFailed, EventName = "AuthenticationFailed", Level = LogLevel.Warning,
        Message = "Authentication of connection {ConnectionId} to {Server} with {Mechanism} as user '{User}' on '{AuthSource}' failed at {Step} (speculative: {Speculative}, server code: {ServerCode}) after {DurationMs:F1} ms: {Error}")]
    public static partial void AuthenticationFailed(ILogger logger, long connectionId, string server, string mechanism, string user, string authSource, string step, bool speculative, int? serverCode, double durationMs, string error);

    [LoggerMessage(EventId = LogEventIds.PoolCleared, EventName = "PoolCleared", Level = LogLevel.Information,
        Message = "Connection pool for {Server} cleared (generation {Generation}): its connections close as they are returned and new ones are opened")]
    public static partial void PoolCleared(ILogger logger, string server, int generation);

    [LoggerMessage(EventId = LogEventIds.ServerSelectionWaiting, EventName = "ServerSelectionWaiting", Level = LogLevel.Information,
        Message = "No suitable server for a {Operation} yet, waiting: {Topology}; {RemainingMs} ms left of {TimeoutOption}")]
    public static partial void ServerSelectionWaiting(ILogger logger, string operation, string topology, int remainingMs, string timeoutOption);

    [LoggerMessage(EventId = LogEventIds.TopologyChanged, EventName = "TopologyChanged", Level = LogLevel.Debug,
        Message = "Topology description changed: {Topology}")]
    public static partial void TopologyChanged(ILogger logger, string topology);

    [LoggerMessage(EventId = LogEventIds.OperationRetried, EventName = "OperationRetried", Level = LogLevel.Debug,
        Message = "Retrying a {Operation} once after {Server} failed: {Error}")]
    public static partial void OperationRetried(ILogger logger, string operation, string server, string error);

    [LoggerMessage(EventId = LogEventIds.SrvHostsChanged, EventName = "SrvHostsChanged", Level = LogLevel.Information,
        Message = "SRV rescan of {SrvName}: added [{Added}], removed [{Removed}]; next rescan in {NextMs} ms")]
    public static partial void SrvHostsChanged(ILogger logger, string srvName, string added, string removed, long nextMs);

    [LoggerMessage(EventId = LogEventIds.SrvRescanFailed, EventName = "SrvRescanFailed", Level = LogLevel.Warning,
        Message = "SRV rescan of {SrvName} kept the current hosts ({Reason}); next try in {NextMs} ms")]
    public static partial void SrvRescanFailed(ILogger logger, string srvName, string reason, long nextMs);

    [LoggerMessage(EventId = LogEventIds.SrvRecordIgnored, EventName = "SrvRecordIgnored", Level = LogLevel.Warning,
        Message = "SRV rescan of {SrvName}: ignored the record {Target}, which is not in the domain of {SrvHost}")]
    public static partial void SrvRecordIgnored(ILogger logger, string srvName, string target, string srvHost);

    [LoggerMessage(EventId = LogEventIds.CommandFailed, EventName = "CommandFailed", Level = LogLevel.Debug,
        Message = "Command {Command} on database '{Database}' at {Server} failed after {DurationMs:F1} ms ({ErrorType}): {Error}")]
    public static partial void CommandFailed(ILogger logger, string command, string database, string server, double durationMs, string errorType, string error);
}
