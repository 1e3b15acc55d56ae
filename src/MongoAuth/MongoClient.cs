using Microsoft.Extensions.Logging.Abstractions;
using MongoAuth.Collections;
using MongoAuth.Connections;
using MongoAuth.Cursors;
using MongoAuth.Diagnostics;
using MongoAuth.Operations;
using MongoAuth.Sessions;
using MongoAuth.Topology;
using MongoDB.Bson;

namespace MongoAuth;

/// <summary>
/// The entry point: a client owns validated settings, one authentication mechanism instance (so caches such as SCRAM
/// keys are client-wide) and a connection pool per server. Thread-safe; create one per application and share it.
/// Configuration errors (bad options, unregistered mechanism, invalid credential) are thrown by the constructor;
/// nothing connects until the first operation.
/// </summary>
public sealed class MongoClient : IMongoClient, IAsyncDisposable
{
    private readonly Cluster _cluster;
    private readonly WriteConcern _writeConcern;
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
        _writeConcern = WriteConcern.FromSettings(Settings);
        Executor = new CommandExecutor(this);
        _telemetry = new OperationTelemetry(Settings.LoggerFactory?.CreateLogger("MongoAuth.Command") ?? NullLogger.Instance);
        _executeCommand = _cluster.ExecuteAsync;
    }

    /// <summary>The validated settings.</summary>
    public MongoClientSettings Settings { get; }

    /// <summary>
    /// The deployment as the client sees it now: its type, the replica set's name and every server with its type,
    /// round trip and last error. Unknown until the first operation (discovery starts at first use).
    /// </summary>
    public TopologyDescription? Topology => _cluster.Description;

    /// <summary>The client's servers, selection and retries (the operations' seams; the CLI prints the topology from it).</summary>
    internal Cluster Cluster => _cluster;

    /// <summary>A database handle (no I/O).</summary>
    public IMongoDatabase GetDatabase(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new MongoDatabase(this, name, _writeConcern);
    }

    /// <inheritdoc />
    public Task<IAsyncCursor<string>> ListDatabaseNamesAsync(CancellationToken cancellationToken = default) =>
        ListDatabaseNamesAsync(runAsync: true, cancellationToken);

    /// <inheritdoc />
#pragma warning disable CA2000 // The cursor is returned to the caller, who owns it.
    public IAsyncCursor<string> ListDatabaseNames(CancellationToken cancellationToken = default) =>
        ListDatabaseNamesAsync(runAsync: false, cancellationToken).GetAwaiter().GetResult();
#pragma warning restore CA2000

    /// <inheritdoc />
    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        DropDatabaseAsync(name, runAsync: true, cancellationToken);

    /// <inheritdoc />
    public void DropDatabase(string name, CancellationToken cancellationToken = default) =>
        DropDatabaseAsync(name, runAsync: false, cancellationToken).GetAwaiter().GetResult();

    /// <summary>The client's pool of server sessions (implicit sessions of the data API).</summary>
    internal ServerSessionPool Sessions { get; } = new();

    /// <summary>Runs the data API's commands.</summary>
    internal CommandExecutor Executor { get; }

    private async Task<IAsyncCursor<string>> ListDatabaseNamesAsync(bool runAsync, CancellationToken cancellationToken)
    {
        var session = new ImplicitSession(Sessions);
        try
        {
            var command = new BsonDocument { { "listDatabases", 1 }, { "nameOnly", true } };
            var reply = await Executor.ReadAsync(OperationTarget.ForCommand("admin", command), _ => new BsonDocument(command), session, Executor.Start(runAsync, cancellationToken)).ConfigureAwait(false);
            return new ListCursor<string>([.. reply.Reply["databases"].AsBsonArray.Select(d => d["name"].AsString)]);
        }
        finally
        {
            session.Release();
        }
    }

    private Task DropDatabaseAsync(string name, bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new MongoDatabase(this, name, _writeConcern).WriteAsync(new BsonDocument("dropDatabase", 1), runAsync, cancellationToken);
    }

    /// <summary>
    /// Who this client's connections are authenticated as: runs <c>connectionStatus</c> and returns the authenticated
    /// users and roles (empty without credentials).
    /// </summary>
    public async Task<MongoConnectionStatus> GetConnectionStatusAsync(CancellationToken cancellationToken = default)
    {
        var reply = await RunCommandAsync("admin", new BsonDocument("connectionStatus", 1), session: null, runAsync: true, cancellationToken).ConfigureAwait(false);
        return MongoConnectionStatus.FromReply(reply);
    }

    /// <summary>The synchronous form of <see cref="GetConnectionStatusAsync"/> (same code path, synchronous down to the socket).</summary>
    public MongoConnectionStatus GetConnectionStatus(CancellationToken cancellationToken = default)
    {
        var reply = RunCommandAsync("admin", new BsonDocument("connectionStatus", 1), session: null, runAsync: false, cancellationToken).GetAwaiter().GetResult();
        return MongoConnectionStatus.FromReply(reply);
    }

    /// <summary>
    /// PBKDF2 key derivations this client's SCRAM mechanism has run so far (its client-wide key cache's counter; 0
    /// without SCRAM). Internal: the benchmarks report it beside the official driver's per-connection derivations.
    /// </summary>
    internal long ScramKeyDerivations => _cluster.ScramKeyDerivations;

    /// <summary>
    /// Runs a command, in <paramref name="session"/> when given (its <c>lsid</c> goes into the message when the server
    /// supports sessions; the application's document is not changed); with <paramref name="runAsync"/> false
    /// everything is synchronous and the task is complete. Awaited once, by the caller (a pooled task when unobserved).
    /// </summary>
    internal ValueTask<BsonDocument> RunCommandAsync(string database, BsonDocument command, ImplicitSession? session, bool runAsync, CancellationToken cancellationToken)
    {
        var context = OperationContext.Start(runAsync, cancellationToken, Settings.Timeout);
        // Unobserved (no span listener, no duration listener, no Debug log), the cluster runs the command directly,
        // without a delegate made for it.
        return _telemetry.IsEnabled
            ? new ValueTask<BsonDocument>(RunInstrumentedAsync(database, command, session, context))
            : _cluster.ExecuteCommandAsync(database, command, session, context);
    }

    private Task<BsonDocument> RunInstrumentedAsync(string database, BsonDocument command, ImplicitSession? session, OperationContext context) =>
        _telemetry.ExecuteAsync(
            OperationTarget.ForCommand(database, command),
            _executeCommand,
            (connection, attempt) => connection.RunCommandValueAsync(database, command, session?.IdFor(connection), attempt).AsTask(),
            context);

    /// <summary>
    /// Traces, measures and logs the client's operations; the data API runs its operations through it (with the
    /// cluster's read, write or server-bound entry point), as <see cref="RunCommandAsync(string, BsonDocument, ImplicitSession, bool, CancellationToken)"/> does.
    /// </summary>
    internal OperationTelemetry Telemetry => _telemetry;

    /// <summary>
    /// Ends the client's pooled server sessions on the server (<c>endSessions</c>), then closes every connection.
    /// Operations after this throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await EndSessionsAsync(runAsync: true).ConfigureAwait(false);
        await _cluster.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>As <see cref="DisposeAsync"/>, synchronously (blocks until the connections are closed).</summary>
    public void Dispose()
    {
        EndSessionsAsync(runAsync: false).GetAwaiter().GetResult();
        _cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The most session ids one <c>endSessions</c> may carry (driver-sessions spec).</summary>
    internal const int EndSessionsBatchSize = 10_000;

    /// <summary>How long closing the client may spend telling the server its sessions are over.</summary>
    private static readonly TimeSpan EndSessionsTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Sends the pooled sessions' ids in <c>endSessions</c> commands of at most <see cref="EndSessionsBatchSize"/>
    /// (driver-sessions spec, "When a MongoClient is closed"), so the server can free them now rather than after
    /// their timeout. Errors are ignored as the spec says: the sessions expire on the server anyway. Nothing is sent
    /// when no session was ever used, and a server that cannot be reached costs at most <see cref="EndSessionsTimeout"/>.
    /// </summary>
    private async Task EndSessionsAsync(bool runAsync)
    {
        if (_cluster.IsDisposed)
        {
            return;
        }

        var ids = Sessions.Drain();
        for (var start = 0; start < ids.Count; start += EndSessionsBatchSize)
        {
            var command = new BsonDocument("endSessions", new BsonArray(ids.Skip(start).Take(EndSessionsBatchSize)));
            try
            {
                await _telemetry.ExecuteAsync(
                    OperationTarget.ForCommand("admin", command),
                    _executeCommand,
                    (connection, context) => connection.RunCommandAsync("admin", command, context),
                    OperationContext.Start(runAsync, CancellationToken.None, Settings.Timeout).WithTimeout(EndSessionsTimeout, TimeoutOption.ServerSelectionTimeoutMS))
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (e is MongoException or OperationCanceledException or ObjectDisposedException)
            {
                // Ignored (driver-sessions spec): the server forgets the sessions after logicalSessionTimeoutMinutes.
            }
        }
    }
}
