using System.Net;
using Microsoft.Extensions.Logging;

namespace MongoAuth.TestServer;

/// <summary>The test server's log messages: connections and failures, never payloads or credentials.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Test server listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(2, LogLevel.Debug, "Connection {ConnectionId} accepted from {Remote}")]
    public static partial void Accepted(ILogger logger, long connectionId, EndPoint? remote);

    [LoggerMessage(3, LogLevel.Debug, "Connection {ConnectionId} closed: {Reason}")]
    public static partial void Closed(ILogger logger, long connectionId, string reason);

    [LoggerMessage(4, LogLevel.Debug, "Connection {ConnectionId}: command {Command} failed with code {Code}")]
    public static partial void CommandFailed(ILogger logger, long connectionId, string command, int code);

    [LoggerMessage(5, LogLevel.Warning, "Connection {ConnectionId}: command {Command} threw {ExceptionType}")]
    public static partial void CommandCrashed(ILogger logger, long connectionId, string command, string exceptionType);
}
