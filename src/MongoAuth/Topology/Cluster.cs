using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MongoAuth.Authentication;
using MongoAuth.Connections;
using MongoAuth.Diagnostics;
using MongoAuth.Operations;
using MongoAuth.Pooling;
using MongoDB.Bson;

namespace MongoAuth.Topology;

/// <summary>
/// The servers of one client: their descriptions, their monitors and their pools; server selection and retries.
/// <para>
/// A lone seed (no <c>replicaSet</c>, not <c>mongodb+srv</c>) and <c>directConnection=true</c> start without monitors:
/// the pooled connections' handshakes say what the server is. When such a seed turns out to be a replica-set member
/// or a mongos, discovery starts. Several seeds, <c>replicaSet</c> or SRV start with a monitor per server
/// (server-discovery-and-monitoring), and operations wait up to serverSelectionTimeoutMS (within timeoutMS) for a
/// suitable server. Load-balanced mode has no monitors.
/// </para>
/// </summary>
internal sealed partial class Cluster : IAsyncDisposable
{
    private readonly MongoClientSettings _settings;
    private readonly Authenticator? _authenticator;
    private readonly IConnectionObserver? _observer;
    private readonly ConcurrentDictionary<MongoServerAddress, ConnectionPool> _pools = new();
    private readonly Dictionary<MongoServerAddress, ServerMonitor> _monitors = [];
    private readonly Lock _topologyLock = new();
    private readonly ConnectionPoolLog _log;
    private readonly ILogger _topologyLogger;
    private readonly ILogger _selectionLog;
    // Made once: a method group passed to GetOrAdd would make a delegate on every selection.
    private readonly Func<MongoServerAddress, ConnectionFactory, ConnectionPool> _createPool;
    private ResolvedSettings? _resolved;
    private TopologyDescription? _topology;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _monitored;
    private int _disposed;

    public Cluster(MongoClientSettings settings, IConnectionObserver? observer)
    {
        _settings = settings;
        _authenticator = Authenticator.Create(settings);
        _observer = observer;
        _createPool = CreatePool;
        if (!settings.UsesSrv)
        {
            _resolved = new ResolvedSettings(settings, new ConnectionFactory(settings, _authenticator, observer), new ConnectionFactory(settings, null, null));
        }
        var logger = settings.LoggerFactory?.CreateLogger("MongoAuth.Connection") ?? NullLogger.Instance;
        _log = new ConnectionPoolLog(settings.ConnectionPoolEventHandler, logger);
        _topologyLogger = settings.LoggerFactory?.CreateLogger("MongoAuth.Topology") ?? NullLogger.Instance;
        _selectionLog = settings.LoggerFactory?.CreateLogger("MongoAuth.ServerSelection") ?? NullLogger.Instance;
    }

    /// <summary>PBKDF2 runs of the client's SCRAM key caches so far (the mechanism rebuilt for an SRV-resolved credential if there is one).</summary>
    public long ScramKeyDerivations => (Volatile.Read(ref _resolved)?.Factory.Authenticator ?? _authenticator)?.ScramKeyDerivations ?? 0;

    /// <summary>The topology as known now (null before the first operation resolved the seeds).</summary>
    public TopologyDescription? Description => Volatile.Read(ref _topology);

    private ReadPreference ReadPreference => _settings.ReadPreference ?? ReadPreference.Primary;

    /// <summary>
    /// Runs <paramref name="operation"/> on the primary (or the only server), as a command the caller names: not
    /// retried. When <paramref name="context"/> is synchronous the whole path (DNS, selection, checkout, connect, TLS,
    /// auth, the operation) is synchronous and the returned task is complete; its deadline bounds all of it.
    /// </summary>
    public Task<TResult> ExecuteAsync<TResult>(Func<Connection, OperationContext, Task<TResult>> operation, OperationContext context) =>
        RunAsync(Selection.Primary, Adapt<TResult>(), operation, retry: false, context).AsTask();

    /// <summary>
    /// <see cref="ExecuteAsync"/> for one command document the caller names (<c>RunCommand</c>), in
    /// <paramref name="session"/> when given: the same path with nothing made per call but the returned task.
    /// </summary>
    public ValueTask<BsonDocument> ExecuteCommandAsync(string database, BsonDocument command, ILogicalSession? session, OperationContext context) =>
        RunAsync(
            Selection.Primary,
            static (connection, state, attempt) => connection.RunCommandValueAsync(state.Database, state.Command, state.Session?.IdFor(connection), attempt),
            (Database: database, Command: command, Session: session),
            retry: false,
            context);

    /// <summary>
    /// Runs a read (find, aggregate without $out/$merge, count, distinct, listCollections, ...) on a server the client's
    /// read preference allows, with <c>$readPreference</c> added as the rules say. Retried once after a retryable error
    /// (retryReads, on by default): <paramref name="operation"/> may then run twice (on another connection) and must
    /// build its command afresh each time.
    /// </summary>
    public Task<TResult> ExecuteReadAsync<TResult>(Func<Connection, OperationContext, Task<TResult>> operation, OperationContext context) =>
        RunAsync(Selection.Read, Adapt<TResult>(), operation, retry: _settings.RetryReads, context).AsTask();

    /// <summary>
    /// Runs a write on a writable server. With <paramref name="retryable"/> (a single-statement write carrying
    /// <c>lsid</c> and <c>txnNumber</c>) and retryWrites (on by default) the write is retried once after a retryable
    /// error: <paramref name="operation"/> may then run twice and must send the same <c>txnNumber</c> both times.
    /// </summary>
    public Task<TResult> ExecuteWriteAsync<TResult>(Func<Connection, OperationContext, Task<TResult>> operation, bool retryable, OperationContext context) =>
        RunAsync(Selection.Write, Adapt<TResult>(), operation, retry: retryable && _settings.RetryWrites, context).AsTask();

    /// <summary>
    /// Runs an operation on a given server: <c>getMore</c> and <c>killCursors</c> must reach the server that owns the
    /// cursor. Never retried.
    /// </summary>
    public async Task<TResult> ExecuteOnServerAsync<TResult>(MongoServerAddress server, Func<Connection, OperationContext, Task<TResult>> operation, OperationContext context)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var resolved = await ResolveAsync(SelectionContext(context)).ConfigureAwait(false);
        var pool = _pools.GetOrAdd(ServerDescription.Normalize(server), _createPool, resolved.Factory);
        pool.MarkReady();
        return await AttemptAsync(new Selected(pool, null, null), Adapt<TResult>(), operation, context).ConfigureAwait(false);
    }

    /// <summary>Runs a task-returning operation where an operation with state is expected (the state is the operation).</summary>
    private static Func<Connection, Func<Connection, OperationContext, Task<TResult>>, OperationContext, ValueTask<TResult>> Adapt<TResult>() =>
        static (connection, operation, context) => new ValueTask<TResult>(operation(connection, context));

    // The operation takes its state as an argument (a static lambda and a struct need no allocation per call). Its
    // state machine comes from a pool, like AttemptAsync's: it holds the operation's state, the selection and the
    // retry's, and was the largest allocation of a RunCommand (about 400 B of a ping's 830 B).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TResult> RunAsync<TState, TResult>(
        Selection kind, Func<Connection, TState, OperationContext, ValueTask<TResult>> operation, TState state, bool retry, OperationContext context)
    {
        var selected = await SelectAsync(kind, deprioritized: null, context).ConfigureAwait(false);
        try
        {
            return await AttemptAsync(selected, operation, state, context).ConfigureAwait(false);
        }
        catch (MongoException first) when (retry && RetryPolicy.IsRetryable(first, kind == Selection.Write) && !context.IsExpired && !context.IsCallerCancelled)
        {
            // One retry, on a server selected again (another mongos when there is one), within the same deadline.
            Log.OperationRetried(_topologyLogger, kind.ToString().ToLowerInvariant(), selected.Pool.Server.ToString(), first.Message);
            Selected again;
            try
            {
                again = await SelectAsync(kind, selected.Pool.Server, context).ConfigureAwait(false);
            }
            catch (MongoServerSelectionException)
            {
                throw first;
            }

            try
            {
                return await AttemptAsync(again, operation, state, context).ConfigureAwait(false);
            }
            catch (MongoCommandException second) when (second.HasErrorLabel("NoWritesPerformed"))
            {
                // The retry did nothing: the first error says what happened (retryable-writes spec).
                throw first;
            }
        }
    }

    /// <summary>Runs one attempt on a connection of the selected pool, applying the error rules to the server on failure.</summary>
    /// <remarks>Its state machine comes from a pool: every operation awaits one attempt, which always waits for the server.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TResult> AttemptAsync<TState, TResult>(
        Selected selected, Func<Connection, TState, OperationContext, ValueTask<TResult>> operation, TState state, OperationContext context)
    {
        var pool = selected.Pool;
        var connection = selected.Connection ?? await CheckOutAsync(pool, context).ConfigureAwait(false);
        connection.ReadPreference = selected.ReadPreference;
        try
        {
            return await operation(connection, state, context).ConfigureAwait(false);
        }
        catch (MongoException e) when (ClearsPool(e))
        {
            if (LoadBalanced)
            {
                ClearService(pool, connection);
            }
            else
            {
                MarkUnknown(pool.Server, e, clearPool: true, connection.Generation);
            }

            throw;
        }
        catch (MongoCommandException e) when (!LoadBalanced && RetryPolicy.IsStateChange(e))
        {
            // "not writable primary" / "node is recovering": the server is Unknown until its monitor checks it again;
            // its pool is cleared only when it is shutting down (or older than 4.2), since its connections still work.
            // An error whose topologyVersion is not newer than the server's description is stale and changes nothing.
            OnStateChangeError(pool.Server, e, clearPool: RetryPolicy.IsShutdown(e) || (connection.Description?.MaxWireVersion ?? 0) < 8, connection.Generation);
            throw;
        }
        finally
        {
            connection.ReadPreference = null;
            if (!IsPinned(connection))
            {
                await pool.CheckInAsync(connection).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Checks out a connection. When opening one fails in authentication (the pool clears itself then, SDAM "MongoDB
    /// Handshake errors"), the server is marked Unknown too; a refused connect or a failed hello changes nothing, as
    /// the connection-pool rules say (such failures may be overload, which clearing would make worse).
    /// </summary>
    private async ValueTask<Connection> CheckOutAsync(ConnectionPool pool, OperationContext context)
    {
        try
        {
            return await pool.CheckOutAsync(context, WaitContext(context)).ConfigureAwait(false);
        }
        catch (MongoException e) when (!LoadBalanced && e is MongoAuthenticationException or MongoConnectionException { DuringAuthentication: true })
        {
            MarkUnknown(pool.Server, e, clearPool: false, generation: pool.Generation);
            throw;
        }
    }

    /// <summary>
    /// Whether a failure on a checked-out connection clears its pool: a network error, or any failure of
    /// (re)authentication (server-discovery-and-monitoring, "MongoDB Handshake errors"). A timeout of an ordinary
    /// command closes that connection only; the server is not at fault and the other connections stay.
    /// </summary>
    private static bool ClearsPool(MongoException e) =>
        e is MongoAuthenticationException or MongoConnectionException { DuringAuthentication: true } ||
        e is MongoConnectionException and not MongoOperationTimeoutException and not MongoPoolClearedException;

    /// <summary>
    /// Without timeoutMS, serverSelectionTimeoutMS bounds finding a server (SRV lookups included) and, unless
    /// waitQueueTimeoutMS is set, the wait for a pooled connection; connectTimeoutMS bounds each new connection.
    /// </summary>
    private OperationContext SelectionContext(OperationContext context) =>
        context.UsesTimeoutMS ? context : context.WithTimeout(_settings.ServerSelectionTimeout, TimeoutOption.ServerSelectionTimeoutMS);

    private OperationContext WaitContext(OperationContext context) =>
        context.UsesTimeoutMS || _settings.WaitQueueTimeout is not { } limit || limit <= TimeSpan.Zero
            ? SelectionContext(context)
            : context.WithTimeout(limit, TimeoutOption.WaitQueueTimeoutMS);

    private async ValueTask<Selected> SelectAsync(Selection kind, MongoServerAddress? deprioritized, OperationContext context)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var selection = SelectionContext(context);
        var resolved = await ResolveAsync(selection).ConfigureAwait(false);
        if (!Volatile.Read(ref _monitored))
        {
            var direct = await SelectDirectAsync(kind, resolved, context, selection).ConfigureAwait(false);
            if (direct is { } found)
            {
                return found;
            }
        }

        return await SelectMonitoredAsync(kind, deprioritized, resolved, selection).ConfigureAwait(false);
    }

    /// <summary>The client's description of the topology, in the one-line form errors show.</summary>
    public override string ToString() => Description?.ToString() ?? "not connected yet";

    private ConnectionPool CreatePool(MongoServerAddress server, ConnectionFactory factory) =>
        // The resolved settings (pools exist only after resolution): a TXT record may have turned load-balanced mode on.
        new(server, ConnectionPoolOptions.From(Volatile.Read(ref _resolved)?.Settings ?? _settings), (id, generation, context) => factory.OpenAsync(server, id, generation, context), _log);

    /// <summary>A selected server's pool, a connection already checked out when selection needed one, and the <c>$readPreference</c> to send.</summary>
    private readonly record struct Selected(ConnectionPool Pool, Connection? Connection, BsonDocument? ReadPreference);

    private sealed record ResolvedSettings(MongoClientSettings Settings, ConnectionFactory Factory, ConnectionFactory MonitorFactory);

    private enum Selection
    {
        Primary,
        Read,
        Write,
    }

    /// <summary>Whether <see cref="DisposeAsync"/> has run.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        List<ServerMonitor> monitors;
        lock (_topologyLock)
        {
            monitors = [.. _monitors.Values];
            _monitors.Clear();
        }

        foreach (var monitor in monitors)
        {
            await monitor.DisposeAsync().ConfigureAwait(false);
        }

        await StopSrvPollingAsync().ConfigureAwait(false);
        foreach (var pool in _pools.Values)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }

        _changed.TrySetResult();
    }
}
