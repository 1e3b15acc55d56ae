using Microsoft.Extensions.Logging.Abstractions;
using MongoAuth.Connections;
using MongoAuth.Diagnostics;
using MongoAuth.Operations;
using MongoAuth.Topology;
using MongoDB.Bson;

namespace MongoAuth;

/// <summary>
/// The entry point: a client owns validated settings, one authentication mechanism instance (so caches such as SCRAM
/// keys are client-wide) and a connection pool per server. Thread-safe; create one per application and share it.
/// Configuration errors (bad options, unregistered mechanism, invalid credential) are thrown by the constructor;
/// nothing connects until the first operation.
/// </summary>
public sealed class MongoClient : IDisposable, IAsyncDisposable
{
    private readonly Cluster _cluster;
    private readonly OperationTelemetry _telemetry;
    private readonly Func<Func<Connection, OperationContext, Task<BsonDocument>>, OperationContext, Task<BsonDocument>> _executeCommand;

    /// <summary>Creates a client from a <c>mongodb://</c> or <c>mongodb+srv://</c> connection string.</summary>
    public MongoClient(string connectionString)
        : this(MongoClientSettings.FromConnectionString(connectionString))
    {
    }

    /// <summary>Creates a client from settings (validated here).</summary>
    public MongoClient(MongoClientSettings settings)
        : this(settings, observer: null)
    {
    }

    internal MongoClient(MongoClientSettings settings, IConnectionObserver? observer)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings.Validate();
        ConnectionStringWarningLog.Write(Settings);
        _cluster = new Cluster(Settings, observer);
        _telemetry = new OperationTelemetry(Settings.LoggerFactory?.CreateLogger("MongoAuth.Command") ?? NullLogger.Instance);
        _executeCommand = _cluster.ExecuteAsync;
    }

    /// <summary>The validated settings.</summary>
    public MongoClientSettings Settings { get; }

    /// <summary>A database handle (no I/O).</summary>
    public IMongoDatabase GetDatabase(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new MongoDatabase(this, name);
    }

    /// <summary>
    /// Who this client's connections are authenticated as: runs <c>connectionStatus</c> and returns the authenticated
    /// users and roles (empty without credentials).
    /// </summary>
    public async Task<MongoConnectionStatus> GetConnectionStatusAsync(CancellationToken cancellationToken = default)
    {
        var reply = await RunCommandAsync("admin", new BsonDocument("connectionStatus", 1), runAsync: true, cancellationToken).ConfigureAwait(false);
        return MongoConnectionStatus.FromReply(reply);
    }

    /// <summary>The synchronous form of <see cref="GetConnectionStatusAsync"/> (same code path, synchronous down to the socket).</summary>
    public MongoConnectionStatus GetConnectionStatus(CancellationToken cancellationToken = default)
    {
        var reply = RunCommandAsync("admin", new BsonDocument("connectionStatus", 1), runAsync: false, cancellationToken).GetAwaiter().GetResult();
        return MongoConnectionStatus.FromReply(reply);
    }

    /// <summary>
    /// PBKDF2 key derivations this client's SCRAM mechanism has run so far (its client-wide key cache's counter; 0
    /// without SCRAM). Internal: the benchmarks report it beside the official driver's per-connection derivations.
    /// </summary>
    internal long ScramKeyDerivations => _cluster.ScramKeyDerivations;

    /// <summary>Runs a command; with <paramref name="runAsync"/> false everything is synchronous and the task is complete.</summary>
    internal Task<BsonDocument> RunCommandAsync(string database, BsonDocument command, bool runAsync, CancellationToken cancellationToken) =>
        _telemetry.ExecuteAsync(
            OperationTarget.ForCommand(database, command),
            _executeCommand,
            (connection, context) => connection.RunCommandAsync(database, command, context),
            OperationContext.Start(runAsync, cancellationToken, Settings.Timeout));

    /// <summary>
    /// Traces, measures and logs the client's operations; the data API runs its operations through it (with the
    /// cluster's read, write or server-bound entry point), as <see cref="RunCommandAsync"/> does.
    /// </summary>
    internal OperationTelemetry Telemetry => _telemetry;

    /// <summary>Closes every connection. Operations after this throw <see cref="ObjectDisposedException"/>.</summary>
    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    /// <summary>Closes every connection (blocks until they are closed).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
