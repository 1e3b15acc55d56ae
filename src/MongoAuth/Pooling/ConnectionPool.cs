using System.Diagnostics;
using MongoAuth.Connections;
using MongoAuth.Operations;
using MongoDB.Bson;

namespace MongoAuth.Pooling;

/// <summary>
/// The connections of one server (CMAP, §10): FIFO waiters; at most maxPoolSize connections, at most maxConnecting
/// being opened at once (outside the lock); perished connections (stale generation, idle, broken) closed instead of
/// handed out; clear() increments the generation, pauses the pool and fails every waiter at once; a background task
/// fills to minPoolSize and prunes idle connections. A connection is handed out only after handshake and auth.
/// A waiter allowed to open a connection stays first in line while it opens: a connection checked in meanwhile is
/// handed to it, and the one it opens goes to the pool when ready (a fill need not wait for handshakes one by one).
/// The lock guards counters and queues only; no I/O happens under it.
/// </summary>
internal sealed class ConnectionPool : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly LinkedList<Waiter> _openers = new();
    private readonly Stack<Connection> _available = new();
    private readonly MongoServerAddress _server;
    private readonly ConnectionPoolOptions _options;
    private readonly Func<long, int, OperationContext, Task<Connection>> _open;
    private readonly ConnectionPoolLog _log;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Task _maintenance;
    private readonly Dictionary<ObjectId, int> _serviceGenerations = [];
    private PoolState _state = PoolState.Paused;
    private int _total;
    private int _pending;
    private int _generation;
    private long _lastId;

    public ConnectionPool(MongoServerAddress server, ConnectionPoolOptions options, Func<long, int, OperationContext, Task<Connection>> open, ConnectionPoolLog log)
    {
        _server = server;
        _options = options;
        _open = open;
        _log = log;
        _log.Publish(new PoolCreatedEvent(server, options.MaxPoolSize, options.MinPoolSize, options.MaxConnecting));
        _maintenance = Task.Run(MaintainAsync);
    }

    private enum PoolState { Paused, Ready, Closed }

    /// <summary>The current generation (incremented by every clear).</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>The pool's server.</summary>
    public MongoServerAddress Server => _server;

    /// <summary>Connections open or being opened.</summary>
    public int TotalConnections { get { lock (_lock) { return _total; } } }

    /// <summary>Connections idle in the pool.</summary>
    public int AvailableConnections { get { lock (_lock) { return _available.Count; } } }

    /// <summary>Marks the pool ready (no effect and no event when it already is).</summary>
    public void MarkReady()
    {
        lock (_lock)
        {
            if (_state != PoolState.Paused)
            {
                return;
            }
            _state = PoolState.Ready;
        }
        _log.Publish(new PoolReadyEvent(_server));
        _wake.Release();
    }

    /// <summary>
    /// Checks out a ready connection for <paramref name="operation"/>, waiting in FIFO order until the deadline of
    /// <paramref name="wait"/> (waitQueueTimeoutMS, serverSelectionTimeoutMS or timeoutMS: the error names it). A
    /// synchronous operation blocks in the wait and opens a new connection synchronously.
    /// </summary>
    public async Task<Connection> CheckOutAsync(OperationContext operation, OperationContext wait)
    {
        _log.Publish(new ConnectionCheckOutStartedEvent(_server));
        var watch = Stopwatch.StartNew();
        var waiter = new Waiter();
        var perished = new List<(Connection, ConnectionClosedReason)>();
        lock (_lock)
        {
            if (_state != PoolState.Ready)
            {
                var closed = _state == PoolState.Closed;
                _log.Publish(new ConnectionCheckOutFailedEvent(_server, closed ? CheckOutFailedReason.PoolClosed : CheckOutFailedReason.ConnectionError, watch.Elapsed));
                throw closed
                    ? new ObjectDisposedException(nameof(ConnectionPool), "Attempted to check out a Connection from closed connection pool")
                    : new MongoPoolClearedException($"Connection pool for {_server} is paused because an earlier operation failed; retry the operation.");
            }
            waiter.Node = _waiters.AddLast(waiter);
            Dispatch(perished);
        }
        await CloseAsync(perished).ConfigureAwait(false);

        Grant grant;
        using (var timeout = wait.LinkDeadline(out var bounded))
        {
            using var registration = bounded.CancellationToken.Register(() => Abandon(waiter, wait));
            try
            {
                // The synchronous path blocks on the waiter's completion, which another thread's check-in (or the
                // deadline's timer) sets; nothing asynchronous runs on this thread's behalf.
                grant = wait.IsAsync
                    ? await waiter.Completion.Task.ConfigureAwait(false)
                    : waiter.Completion.Task.GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                var reason = e is MongoWaitQueueTimeoutException ? CheckOutFailedReason.Timeout
                    : e is ObjectDisposedException ? CheckOutFailedReason.PoolClosed : CheckOutFailedReason.ConnectionError;
                _log.Publish(new ConnectionCheckOutFailedEvent(_server, reason, watch.Elapsed));
                throw;
            }
        }

        var connection = grant.Connection ?? await EstablishAsync(waiter, grant, watch, operation).ConfigureAwait(false);
        _log.Publish(new ConnectionCheckedOutEvent(_server, connection.Id, watch.Elapsed));
        return connection;
    }

    /// <summary>
    /// Opens the connection <paramref name="grant"/> allows and returns it, or a connection checked in before it is
    /// ready (Dispatch hands those to <see cref="_openers"/> first); then the new connection goes to the pool.
    /// </summary>
    private async Task<Connection> EstablishAsync(Waiter waiter, Grant grant, Stopwatch checkoutWatch, OperationContext operation)
    {
        _ = OpenForAsync(waiter, grant, operation);
        try
        {
            return operation.IsAsync
                ? await waiter.Handoff.Task.ConfigureAwait(false)
                : waiter.Handoff.Task.GetAwaiter().GetResult();
        }
        catch
        {
            _log.Publish(new ConnectionCheckOutFailedEvent(_server, CheckOutFailedReason.ConnectionError, checkoutWatch.Elapsed));
            throw;
        }
    }

    /// <summary>Opens a connection for <paramref name="waiter"/>: its own when it is still waiting, else the pool's. Never throws.</summary>
    private async Task OpenForAsync(Waiter waiter, Grant grant, OperationContext operation)
    {
        Connection connection;
        try
        {
            connection = await OpenAsync(grant, operation).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Already handled by OpenAsync (closed, pool cleared when it must be); only a waiter still waiting hears of it.
            if (TakeOpener(waiter))
            {
                waiter.Handoff.TrySetException(e);
            }
            return;
        }
        if (TakeOpener(waiter))
        {
            waiter.Handoff.TrySetResult(connection);
        }
        else
        {
            await CheckInAsync(connection, fromCheckout: false).ConfigureAwait(false);
        }
    }

    /// <summary>Removes <paramref name="waiter"/> from the openers; false when it was already handed a connection.</summary>
    private bool TakeOpener(Waiter waiter)
    {
        lock (_lock)
        {
            if (waiter.Node?.List != _openers)
            {
                return false;
            }
            _openers.Remove(waiter.Node);
            return true;
        }
    }

    /// <summary>Opens the connection a grant allows; releases the maxConnecting slot either way.</summary>
    private async Task<Connection> OpenAsync(Grant grant, OperationContext operation)
    {
        _log.Publish(new ConnectionCreatedEvent(_server, grant.Id));
        var watch = Stopwatch.StartNew();
        Connection connection;
        try
        {
            connection = await _open(grant.Id, grant.Generation, operation).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var perished = new List<(Connection, ConnectionClosedReason)>();
            lock (_lock)
            {
                _total--;
                _pending--;
                Dispatch(perished);
            }
            await CloseAsync(perished).ConfigureAwait(false);
            _log.Publish(new ConnectionClosedEvent(_server, grant.Id, ConnectionClosedReason.Error));
            if (e is MongoAuthenticationException or MongoConnectionException { DuringAuthentication: true })
            {
                // An authentication failure, or a network failure during auth, clears the pool (SDAM handshake
                // errors); a refused TCP connect or a failed hello does not.
                Clear(grant.Generation, e);
            }
            throw;
        }
        var stale = new List<(Connection, ConnectionClosedReason)>();
        lock (_lock)
        {
            if (connection.ServiceId is { } service)
            {
                // Load-balanced mode: the connection belongs to its service's generation, known only after hello.
                connection.Generation = _serviceGenerations.GetValueOrDefault(service);
            }
            // The maxConnecting slot is free again: the next waiter may start opening its own connection.
            _pending--;
            Dispatch(stale);
        }
        await CloseAsync(stale).ConfigureAwait(false);
        _log.Publish(new ConnectionReadyEvent(_server, grant.Id, watch.Elapsed));
        return connection;
    }

    /// <summary>Returns a connection; <paramref name="fromCheckout"/> is false for a connection the background fill opened.</summary>
    public async ValueTask CheckInAsync(Connection connection, bool fromCheckout = true)
    {
        if (fromCheckout)
        {
            _log.Publish(new ConnectionCheckedInEvent(_server, connection.Id));
        }
        var perished = new List<(Connection, ConnectionClosedReason)>();
        lock (_lock)
        {
            if (_state == PoolState.Closed)
            {
                _total--;
                perished.Add((connection, ConnectionClosedReason.PoolClosed));
            }
            else if (PerishedReason(connection) is { } reason)
            {
                _total--;
                perished.Add((connection, reason));
            }
            else
            {
                _available.Push(connection);
            }
            Dispatch(perished);
        }
        await CloseAsync(perished).ConfigureAwait(false);
    }

    /// <summary>
    /// Clears the pool after a failure on a connection of <paramref name="generation"/>: generation++, paused, every
    /// waiter fails at once with a retryable <see cref="MongoPoolClearedException"/>, idle connections are closed.
    /// A failure of an older generation than the current one was already handled and changes nothing.
    /// </summary>
    public void Clear(int generation, Exception cause)
    {
        List<Waiter> failed;
        List<(Connection, ConnectionClosedReason)> stale;
        lock (_lock)
        {
            if (_state == PoolState.Closed || generation < _generation || _options.LoadBalanced)
            {
                // In load-balanced mode only a service's connections are cleared (ClearService): an error before
                // the handshake named the service clears nothing.
                return;
            }
            _generation++;
            _state = PoolState.Paused;
            failed = [.. _waiters];
            _waiters.Clear();
            stale = [.. _available.Select(c => (c, ConnectionClosedReason.Stale))];
            _total -= _available.Count;
            _available.Clear();
        }
        _log.Publish(new PoolClearedEvent(_server, Generation));
        var error = new MongoPoolClearedException($"Connection pool for {_server} was cleared because another operation failed with: {cause.Message}", cause);
        foreach (var waiter in failed)
        {
            waiter.Completion.TrySetException(error);
        }
        _ = CloseAsync(stale).AsTask();
    }

    /// <summary>
    /// Load-balanced mode: after a failure on a connection of <paramref name="serviceId"/> in <paramref name="generation"/>,
    /// that service's generation rises and its idle connections are closed; the pool stays ready and its waiters wait
    /// on (load-balancers spec and CMAP: a clear in load balancer mode names a service and does not pause the pool).
    /// </summary>
    public void ClearService(ObjectId serviceId, int generation)
    {
        List<(Connection, ConnectionClosedReason)> stale;
        int next;
        lock (_lock)
        {
            var current = _serviceGenerations.GetValueOrDefault(serviceId);
            if (_state == PoolState.Closed || generation < current)
            {
                return;
            }
            next = _serviceGenerations[serviceId] = current + 1;
            var keep = _available.Where(c => c.ServiceId != serviceId).Reverse().ToList();
            stale = [.. _available.Where(c => c.ServiceId == serviceId).Select(c => (c, ConnectionClosedReason.Stale))];
            _total -= stale.Count;
            _available.Clear();
            keep.ForEach(_available.Push);
        }
        _log.Publish(new PoolClearedEvent(_server, next) { ServiceId = serviceId });
        _ = CloseAsync(stale).AsTask();
    }

    /// <summary>Hands idle connections or permissions to connect to the waiters at the head of the queue. Under the lock.</summary>
    private void Dispatch(List<(Connection, ConnectionClosedReason)> perished)
    {
        // Waiters still opening their own connection were first in line: they get idle connections first.
        while (_openers.First is { } opener && TakeAvailable(perished) is { } idle)
        {
            _openers.RemoveFirst();
            opener.Value.Handoff.TrySetResult(idle);
        }
        while (_waiters.First is { } node)
        {
            var connection = TakeAvailable(perished);
            if (connection is not null)
            {
                _waiters.RemoveFirst();
                node.Value.Completion.TrySetResult(new Grant(connection, connection.Id, connection.Generation));
            }
            else if (CanStartConnecting())
            {
                _waiters.RemoveFirst();
                _openers.AddLast(node);
                node.Value.Completion.TrySetResult(ReserveNew());
            }
            else
            {
                return;
            }
        }
    }

    private bool CanStartConnecting() =>
        (_options.MaxPoolSize == 0 || _total < _options.MaxPoolSize) && _pending < _options.MaxConnecting;

    private Grant ReserveNew()
    {
        _total++;
        _pending++;
        return new Grant(null, ++_lastId, _generation);
    }

    private Connection? TakeAvailable(List<(Connection, ConnectionClosedReason)> perished)
    {
        while (_available.TryPop(out var connection))
        {
            if (PerishedReason(connection) is { } reason)
            {
                _total--;
                perished.Add((connection, reason));
                continue;
            }
            return connection;
        }
        return null;
    }

    private ConnectionClosedReason? PerishedReason(Connection connection) =>
        connection.IsBroken ? ConnectionClosedReason.Error
        : connection.Generation < (connection.ServiceId is { } service ? _serviceGenerations.GetValueOrDefault(service) : _generation) ? ConnectionClosedReason.Stale
        : _options.MaxIdleTime is { } idle && Environment.TickCount64 - connection.LastUsed > idle.TotalMilliseconds ? ConnectionClosedReason.Idle
        : null;

    private void Abandon(Waiter waiter, OperationContext wait)
    {
        lock (_lock)
        {
            if (waiter.Node?.List != _waiters)
            {
                return;
            }
            _waiters.Remove(waiter.Node);
        }
        if (wait.IsCallerCancelled)
        {
            waiter.Completion.TrySetCanceled(wait.CancellationToken);
        }
        else
        {
            waiter.Completion.TrySetException(wait.WaitQueueTimedOut(_server, _options.MaxPoolSize));
        }
    }

    private async ValueTask CloseAsync(List<(Connection Connection, ConnectionClosedReason Reason)> connections)
    {
        foreach (var (connection, reason) in connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            _log.Publish(new ConnectionClosedEvent(_server, connection.Id, reason));
        }
    }

    /// <summary>Background work: prune idle connections and fill to minPoolSize, at most maxConnecting at once.</summary>
    private async Task MaintainAsync()
    {
        var token = _shutdown.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_options.MaintenanceInterval, token).ConfigureAwait(false);
                await PruneAsync().ConfigureAwait(false);
                await FillAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is MongoException or IOException)
            {
                // A failed background connection already cleared the pool when it had to; try again next round.
            }
        }
    }

    private async Task PruneAsync()
    {
        var perished = new List<(Connection, ConnectionClosedReason)>();
        lock (_lock)
        {
            var keep = _available.Where(c => PerishedReason(c) is null).Reverse().ToList();
            foreach (var connection in _available.Where(c => PerishedReason(c) is not null))
            {
                perished.Add((connection, PerishedReason(connection)!.Value));
                _total--;
            }
            _available.Clear();
            keep.ForEach(_available.Push);
        }
        await CloseAsync(perished).ConfigureAwait(false);
    }

    private async Task FillAsync(CancellationToken token)
    {
        var opening = new List<Task>();
        lock (_lock)
        {
            while (_state == PoolState.Ready && _waiters.Count == 0 && _total < _options.MinPoolSize && CanStartConnecting())
            {
                opening.Add(OpenIntoPoolAsync(ReserveNew(), token));
            }
        }
        await Task.WhenAll(opening).ConfigureAwait(false);
    }

    private async Task OpenIntoPoolAsync(Grant grant, CancellationToken token)
    {
        await Task.Yield();
        // A background connection has no operation: connectTimeoutMS alone bounds it.
        var connection = await OpenAsync(grant, OperationContext.Start(isAsync: true, token)).ConfigureAwait(false);
        await CheckInAsync(connection, fromCheckout: false).ConfigureAwait(false);
        _wake.Release();
    }

    public async ValueTask DisposeAsync()
    {
        List<Waiter> failed;
        List<(Connection, ConnectionClosedReason)> closing;
        lock (_lock)
        {
            if (_state == PoolState.Closed)
            {
                return;
            }
            _state = PoolState.Closed;
            failed = [.. _waiters];
            _waiters.Clear();
            closing = [.. _available.Select(c => (c, ConnectionClosedReason.PoolClosed))];
            _total -= _available.Count;
            _available.Clear();
        }
        await _shutdown.CancelAsync().ConfigureAwait(false);
        foreach (var waiter in failed)
        {
            waiter.Completion.TrySetException(new ObjectDisposedException(nameof(ConnectionPool), "Attempted to check out a Connection from closed connection pool"));
        }
        await CloseAsync(closing).ConfigureAwait(false);
        try
        {
            await _maintenance.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        _log.Publish(new PoolClosedEvent(_server));
        _shutdown.Dispose();
        _wake.Dispose();
    }

    private sealed class Waiter
    {
        public TaskCompletionSource<Grant> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The connection of a waiter allowed to open one: its own, or one checked in before that is ready.</summary>
        public TaskCompletionSource<Connection> Handoff { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }
    }

    /// <summary>A checked-out idle connection, or (Connection null) permission to open connection <see cref="Id"/>.</summary>
    private readonly record struct Grant(Connection? Connection, long Id, int Generation);
}
