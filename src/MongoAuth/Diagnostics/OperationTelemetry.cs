using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MongoAuth.Connections;
using MongoAuth.Operations;

namespace MongoAuth.Diagnostics;

/// <summary>
/// Instruments one client's operations: a CLIENT span per operation (OpenTelemetry database conventions for MongoDB),
/// the <c>db.client.operation.duration</c> histogram and the "command failed" log. Wraps whichever way the cluster runs
/// the operation (<c>ExecuteAsync</c>, <c>ExecuteReadAsync</c>, ...), so every operation goes through one place:
/// <code>
/// telemetry.ExecuteAsync(target, cluster.ExecuteReadAsync, operation, context)
/// </code>
/// The span covers server selection, the pool wait, opening a connection (whose own span is a child of it), retries
/// and the command. When nobody listens and the log level is off, the cluster is called directly.
/// </summary>
internal sealed class OperationTelemetry(ILogger logger)
{
    /// <summary>Whether anyone listens: a span listener, a duration listener or a Debug log.</summary>
    internal bool IsEnabled =>
        Instruments.Source.HasListeners() || Instruments.OperationDuration.Enabled || logger.IsEnabled(LogLevel.Debug);

    /// <summary>Runs <paramref name="operation"/> through <paramref name="execute"/>, instrumented when anyone listens.</summary>
    public Task<TResult> ExecuteAsync<TResult>(
        OperationTarget target,
        Func<Func<Connection, OperationContext, Task<TResult>>, OperationContext, Task<TResult>> execute,
        Func<Connection, OperationContext, Task<TResult>> operation,
        OperationContext context) =>
        IsEnabled ? InstrumentedAsync(target, execute, operation, context) : execute(operation, context);

    private async Task<TResult> InstrumentedAsync<TResult>(
        OperationTarget target,
        Func<Func<Connection, OperationContext, Task<TResult>>, OperationContext, Task<TResult>> execute,
        Func<Connection, OperationContext, Task<TResult>> operation,
        OperationContext context)
    {
        // Started here, in an async method, so Activity.Current is this span for everything the operation does and is
        // restored for the caller when the method returns (also when it completes synchronously).
        using var activity = Instruments.Source.StartActivity(target.SpanName, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(SemanticConventions.DbSystemName, SemanticConventions.DbSystemMongoDb);
            activity.SetTag(SemanticConventions.DbOperationName, target.OperationName);
            activity.SetTag(SemanticConventions.DbNamespace, target.Database);
            if (target.Collection is not null)
            {
                activity.SetTag(SemanticConventions.DbCollectionName, target.Collection);
            }
        }
        var started = Stopwatch.GetTimestamp();
        MongoServerAddress? server = null;
        try
        {
            var result = await execute(
                (connection, operationContext) =>
                {
                    // The server is known once one is selected (the last one when a retry moved elsewhere).
                    server = connection.Server;
                    activity?.SetTag(SemanticConventions.ServerAddress, server.Host);
                    activity?.SetTag(SemanticConventions.ServerPort, server.Port);
                    return operation(connection, operationContext);
                },
                context).ConfigureAwait(false);
            RecordDuration(target, server, started, error: null, statusCode: null);
            return result;
        }
        catch (Exception e)
        {
            var errorType = Instruments.ErrorType(e);
            var statusCode = e is MongoCommandException command ? errorType : null;
            if (activity is not null)
            {
                activity.SetTag(SemanticConventions.ErrorType, errorType);
                if (statusCode is not null)
                {
                    activity.SetTag(SemanticConventions.DbResponseStatusCode, statusCode);
                }
                // The type only: messages are secret-free, but a span is exported to places logs are not.
                activity.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            }
            RecordDuration(target, server, started, errorType, statusCode);
            Log.CommandFailed(logger, target.OperationName, target.Database, server?.ToString() ?? "(no server selected)",
                Stopwatch.GetElapsedTime(started).TotalMilliseconds, errorType, e.Message);
            throw;
        }
    }

    private static void RecordDuration(OperationTarget target, MongoServerAddress? server, long started, string? error, string? statusCode)
    {
        if (!Instruments.OperationDuration.Enabled)
        {
            return;
        }
        var tags = new TagList
        {
            { SemanticConventions.DbSystemName, SemanticConventions.DbSystemMongoDb },
            { SemanticConventions.DbOperationName, target.OperationName },
            { SemanticConventions.DbNamespace, target.Database },
        };
        if (target.Collection is not null)
        {
            tags.Add(SemanticConventions.DbCollectionName, target.Collection);
        }
        if (server is not null)
        {
            tags.Add(SemanticConventions.ServerAddress, server.Host);
            tags.Add(SemanticConventions.ServerPort, server.Port);
        }
        if (error is not null)
        {
            tags.Add(SemanticConventions.ErrorType, error);
        }
        if (statusCode is not null)
        {
            tags.Add(SemanticConventions.DbResponseStatusCode, statusCode);
        }
        Instruments.OperationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }
}
