using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using MongoAuth.Authentication;
using MongoAuth.Connections;
using MongoAuth.ConnectionStrings;
using MongoAuth.Pooling;

namespace MongoAuth.Topology;

/// <summary>
/// The servers of one client and their pools. For now: a single server, or a host list of which the first reachable
/// writable server is used (replica-set discovery and monitoring come later). Runs operations on a checked-out
/// connection, with one reauthentication and retry after code 391, and clears the pool after a network failure.
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    private readonly MongoClientSettings _settings;
    private readonly Authenticator? _authenticator;
    private readonly IConnectionObserver? _observer;
    private readonly ConcurrentDictionary<MongoServerAddress, ConnectionPool> _pools = new();
    private readonly ConnectionPoolLog _log;
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
    }

    /// <summary>PBKDF2 runs of the client's SCRAM key caches so far (the mechanism rebuilt for an SRV-resolved credential if there is one).</summary>
    public long ScramKeyDerivations => (Volatile.Read(ref _resolved)?.Factory.Authenticator ?? _authenticator)?.ScramKeyDerivations ?? 0;

    /// <summary>
    /// Runs <paramref name="operation"/> on a connection of the selected server. With <paramref name="runAsync"/> false
    /// the whole path (checkout, connect, TLS, auth, the operation) is synchronous and the returned task is complete.
    /// </summary>
    public async Task<TResult> ExecuteAsync<TResult>(Func<Connection, bool, CancellationToken, Task<TResult>> operation, bool runAsync, CancellationToken cancellationToken)
    {
        var (pool, connection, factory) = await SelectAsync(runAsync, cancellationToken).ConfigureAwait(false);
        try
        {
            try
            {
                return await operation(connection, runAsync, cancellationToken).ConfigureAwait(false);
            }
            catch (MongoCommandException e) when (e.Code == 391 && connection.AuthenticatedWith is { } mechanism && factory.Authenticator is { } authenticator)
            {
                await authenticator.ReauthenticateAsync(connection, connection.AuthenticationContext, mechanism, e, cancellationToken).ConfigureAwait(false);
                return await operation(connection, runAsync, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is MongoConnectionException or MongoAuthenticationException)
        {
            pool.Clear(connection.Generation, e);
            throw;
        }
        finally
        {
            await pool.CheckInAsync(connection).ConfigureAwait(false);
        }
    }

    private async Task<(ConnectionPool, Connection, ConnectionFactory)> SelectAsync(bool runAsync, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var (settings, factory) = await ResolveAsync(cancellationToken).ConfigureAwait(false);
        var servers = settings.Servers;
        var anyServer = _settings.DirectConnection == true || servers.Count == 1;
        var waitQueueTimeout = _settings.WaitQueueTimeout is { } t && t > TimeSpan.Zero ? t : _settings.ServerSelectionTimeout;
        var failures = new List<string>();
        Exception? lastError = null;
        foreach (var server in Order(servers))
        {
            var pool = _pools.GetOrAdd(server, CreatePool, factory);
            pool.MarkReady();
            Connection connection;
            try
            {
                connection = await pool.CheckOutAsync(waitQueueTimeout, runAsync, cancellationToken).ConfigureAwait(false);
            }
            catch (MongoConnectionException e) when (e is not MongoWaitQueueTimeoutException && servers.Count > 1)
            {
                failures.Add($"{server}: {e.Message}");
                lastError = e;
                continue;
            }
            if (anyServer || connection.Description?.IsWritablePrimary == true)
            {
                _selected = server;
                return (pool, connection, factory);
            }
            failures.Add($"{server}: reachable but not a writable primary");
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
    private async Task<ResolvedSettings> ResolveAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _resolved) is { } resolved)
        {
            return resolved;
        }
        var settings = await SrvResolver.ResolveAsync(_settings, cancellationToken).ConfigureAwait(false);
        var authenticator = Equals(settings.Credential, _settings.Credential) ? _authenticator : Authenticator.Create(settings);
        Interlocked.CompareExchange(ref _resolved, new ResolvedSettings(settings, new ConnectionFactory(settings, authenticator, _observer)), null);
        return Volatile.Read(ref _resolved)!;
    }

    private ConnectionPool CreatePool(MongoServerAddress server, ConnectionFactory factory) =>
        new(server, ConnectionPoolOptions.From(_settings), (id, generation, runAsync, ct) => factory.OpenAsync(server, id, generation, runAsync, ct), _log);

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
