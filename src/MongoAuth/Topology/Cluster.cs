using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MongoAuth.Authentication;
using MongoAuth.Connections;
using MongoAuth.ConnectionStrings;
using MongoAuth.Diagnostics;
using MongoAuth.Operations;
using MongoAuth.Pooling;

namespace MongoAuth.Topology;

/// <summary>
/// The servers of one client and their pools. For now: a single server, or a host list of which the first reachable
/// writable server is used (replica-set discovery and monitoring come later). Runs operations on a checked-out
/// connection and clears the pool after a network failure or an authentication failure (not after a timeout of an
/// ordinary operation: only that connection is closed).
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    private readonly MongoClientSettings _settings;
    private readonly Authenticator? _authenticator;
    private readonly IConnectionObserver? _observer;
    private readonly ConcurrentDictionary<MongoServerAddress, ConnectionPool> _pools = new();
    private readonly ConnectionPoolLog _log;
    private readonly ILogger _selectionLog;
    private ResolvedSettings? _resolved;
    private MongoServerAddress? _selected;
    private int _disposed;

    public Cluster(MongoClientSettings settings, IConnectionObserver? observer)
    {
        _settings = settings;
        _authenticator = Authenticator.Create(settings);
        _observer = observer;
        if (!settings.UsesSrv)
        {
            _resolved = new ResolvedSettings(settings, new ConnectionFactory(settings, _authenticator, observer));
        }
        var logger = settings.LoggerFactory?.CreateLogger("MongoAuth.Connection") ?? NullLogger.Instance;
        _log = new ConnectionPoolLog(settings.ConnectionPoolEventHandler, logger);
        _selectionLog = settings.LoggerFactory?.CreateLogger("MongoAuth.ServerSelection") ?? NullLogger.Instance;
    }

    /// <summary>PBKDF2 runs of the client's SCRAM key caches so far (the mechanism rebuilt for an SRV-resolved credential if there is one).</summary>
    public long ScramKeyDerivations => (Volatile.Read(ref _resolved)?.Factory.Authenticator ?? _authenticator)?.ScramKeyDerivations ?? 0;

    /// <summary>
    /// Runs <paramref name="operation"/> on a connection of the selected server. When <paramref name="context"/> is
    /// synchronous the whole path (DNS, checkout, connect, TLS, auth, the operation) is synchronous and the returned
    /// task is complete; its deadline (timeoutMS) bounds all of it.
    /// </summary>
    public async Task<TResult> ExecuteAsync<TResult>(Func<Connection, OperationContext, Task<TResult>> operation, OperationContext context)
    {
        var (pool, connection) = await SelectAsync(context).ConfigureAwait(false);
        try
        {
            return await operation(connection, context).ConfigureAwait(false);
        }
        catch (MongoException e) when (ClearsPool(e))
        {
            pool.Clear(connection.Generation, e);
            throw;
        }
        finally
        {
            await pool.CheckInAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a read (find, aggregate without $out/$merge, count, distinct, listCollections, ...). Server selection by
    /// the client's read preference and retryable reads belong here; <paramref name="operation"/> may run twice (on
    /// another connection) and must build its command afresh each time.
    /// </summary>
    public Task<TResult> ExecuteReadAsync<TResult>(Func<Connection, OperationContext, Task<TResult>> operation, OperationContext context) =>
        ExecuteAsync(operation, context);

    /// <summary>
    /// Runs a write on a writable server. With <paramref name="retryable"/> (a single-statement write carrying
    /// <c>lsid</c> and <c>txnNumber</c>) the write may be retried once after a retryable error: <paramref name="operation"/>
    /// may then run twice and must send the same <c>txnNumber</c> both times.
    /// </summary>
    public Task<TResult> ExecuteWriteAsync<TResult>(Func<Connection, OperationContext, Task<TResult>> operation, bool retryable, OperationContext context) =>
        ExecuteAsync(operation, context);

    /// <summary>
    /// Runs an operation on a given server: <c>getMore</c> and <c>killCursors</c> must reach the server that owns the
    /// cursor. Never retried.
    /// </summary>
    public Task<TResult> ExecuteOnServerAsync<TResult>(MongoServerAddress server, Func<Connection, OperationContext, Task<TResult>> operation, OperationContext context) =>
        ExecuteAsync(operation, context);

    /// <summary>
    /// Whether a failure on a checked-out connection clears its pool: a network error, or any failure of
    /// (re)authentication (server-discovery-and-monitoring, "MongoDB Handshake errors"). A timeout of an ordinary
    /// command closes that connection only; the server is not at fault and the other connections stay.
    /// </summary>
    private static bool ClearsPool(MongoException e) =>
        e is MongoAuthenticationException or MongoConnectionException { DuringAuthentication: true } ||
        e is MongoConnectionException and not MongoOperationTimeoutException;

    private async Task<(ConnectionPool, Connection)> SelectAsync(OperationContext context)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        // Without timeoutMS, serverSelectionTimeoutMS bounds finding a server (SRV lookups included) and, unless
        // waitQueueTimeoutMS is set, the wait for a pooled connection; connectTimeoutMS bounds each new connection.
        var selection = context.UsesTimeoutMS ? context : context.WithTimeout(_settings.ServerSelectionTimeout, TimeoutOption.ServerSelectionTimeoutMS);
        var (settings, factory) = await ResolveAsync(selection).ConfigureAwait(false);
        var wait = context.UsesTimeoutMS || _settings.WaitQueueTimeout is not { } limit || limit <= TimeSpan.Zero
            ? selection
            : context.WithTimeout(limit, TimeoutOption.WaitQueueTimeoutMS);
        var servers = settings.Servers;
        var anyServer = _settings.DirectConnection == true || servers.Count == 1;
        var failures = new List<string>();
        Exception? lastError = null;
        foreach (var server in Order(servers))
        {
            if (lastError is not null && selection.IsExpired)
            {
                throw selection.TimedOut("server selection", null, lastError);
            }
            var pool = _pools.GetOrAdd(server, CreatePool, factory);
            pool.MarkReady();
            Connection connection;
            try
            {
                connection = await pool.CheckOutAsync(context, wait).ConfigureAwait(false);
            }
            catch (MongoConnectionException e) when (e is not MongoWaitQueueTimeoutException && servers.Count > 1)
            {
                failures.Add($"{server}: {e.Message}");
                lastError = e;
                Log.ServerSelectionWaiting(_selectionLog, server.ToString(), e.Message, selection.RemainingMilliseconds, selection.OptionName);
                continue;
            }
            if (anyServer || connection.Description?.IsWritablePrimary == true)
            {
                _selected = server;
                return (pool, connection);
            }
            failures.Add($"{server}: reachable but not a writable primary");
            Log.ServerSelectionWaiting(_selectionLog, server.ToString(), "reachable but not a writable primary", selection.RemainingMilliseconds, selection.OptionName);
            await pool.CheckInAsync(connection).ConfigureAwait(false);
        }
        throw new MongoServerSelectionException(
            $"No reachable writable server among {string.Join(", ", servers)}. Tried: {string.Join("; ", failures)}. " +
            "Check the host list, or connect to one member with directConnection=true.", lastError);
    }

    private IEnumerable<MongoServerAddress> Order(IReadOnlyList<MongoServerAddress> servers) =>
        _selected is { } selected ? servers.OrderBy(s => s == selected ? 0 : 1) : servers;

    /// <summary>
    /// The settings with the seed list resolved: for <c>mongodb+srv</c> DNS is asked once, at first use. When the TXT
    /// record changed the credential (authSource), the mechanism is built again from the resolved credential.
    /// </summary>
    private async Task<ResolvedSettings> ResolveAsync(OperationContext context)
    {
        if (Volatile.Read(ref _resolved) is { } resolved)
        {
            return resolved;
        }
        var settings = await SrvResolver.ResolveAsync(_settings, context).ConfigureAwait(false);
        var authenticator = Equals(settings.Credential, _settings.Credential) ? _authenticator : Authenticator.Create(settings);
        Interlocked.CompareExchange(ref _resolved, new ResolvedSettings(settings, new ConnectionFactory(settings, authenticator, _observer)), null);
        return Volatile.Read(ref _resolved)!;
    }

    private ConnectionPool CreatePool(MongoServerAddress server, ConnectionFactory factory) =>
        new(server, ConnectionPoolOptions.From(_settings), (id, generation, context) => factory.OpenAsync(server, id, generation, context), _log);

    private sealed record ResolvedSettings(MongoClientSettings Settings, ConnectionFactory Factory);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        foreach (var pool in _pools.Values)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }
    }
}
