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
    private readonly ConnectionCheckOutStartedEvent _checkOutStarted;
    // Written under the lock only; volatile so MarkReady can see "already ready" without taking it.
    private volatile PoolState _state = PoolState.Paused;
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
        _checkOutStarted = new ConnectionCheckOutStartedEvent(server);
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
        // A direct client's every selection calls this: a pool that is already ready costs no lock (which every
        // concurrent operation would otherwise contend for once more per command). A clear racing with this read
        // is no different from one just after the locked check below.
        if (_state != PoolState.Paused)
        {
            return;
        }

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
    public async ValueTask<Connection> CheckOutAsync(OperationContext operation, OperationContext wait)
    {
        // The events of every checkout are made only when someone observes them (a subscriber, the connection-count
        // metric, a Debug log): a steady-state operation allocates nothing here.
        var observed = _log.IsObserved;
        if (observed)
        {
            _log.Publish(_checkOutStarted);
        }
        var started = Stopwatch.GetTimestamp();
        List<(Connection, ConnectionClosedReason)>? perished = null;
        Connection? idle = null;
        Waiter? waiter = null;
        lock (_lock)
        {
            if (_state != PoolState.Ready)
            {
                var closed = _state == PoolState.Closed;
                _log.Publish(new ConnectionCheckOutFailedEvent(_server, closed ? CheckOutFailedReason.PoolClosed : CheckOutFailedReason.ConnectionError, Stopwatch.GetElapsedTime(started)));
                throw closed
                    ? new ObjectDisposedException(nameof(ConnectionPool), "Attempted to check out a Connection from closed connection pool")
                    : new MongoPoolClearedException($"Connection pool for {_server} is paused because an earlier operation failed; retry the operation.");
            }
            // Nobody waits and nobody opens: an idle connection is this checkout's (what Dispatch would give the
            // first in line), without a waiter, its completion sources or a deadline timer.
            if (_waiters.Count == 0 && _openers.Count == 0)
            {
                idle = TakeAvailable(ref perished);
            }
            if (idle is null)
            {
                waiter = new Waiter();
                waiter.Node = _waiters.AddLast(waiter);
                Dispatch(ref perished);
            }
        }
        await CloseAsync(perished).ConfigureAwait(false);
        if (idle is not null)
        {
            if (observed || _log.IsObserved)
            {
                _log.Publish(new ConnectionCheckedOutEvent(_server, idle.Id, Stopwatch.GetElapsedTime(started)));
            }
            return idle;
        }

        Grant grant;
        CancellationTokenSource? timeout = null;
        CancellationTokenRegistration registration = default;
        try
        {
            if (!waiter!.Completion.Task.IsCompleted)
            {
                // Only a waiter that must wait gets the deadline's timer (one granted at once has nothing to bound).
                waiter.Wait = wait;
                timeout = wait.LinkDeadline(out var bounded);
                registration = bounded.CancellationToken.Register(static state =>
                {
                    var (pool, w) = ((ConnectionPool, Waiter))state!;
                    pool.Abandon(w, w.Wait);
                }, (this, waiter));
            }
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
            _log.Publish(new ConnectionCheckOutFailedEvent(_server, reason, Stopwatch.GetElapsedTime(started)));
            throw;
        }
        finally
        {
            registration.Dispose();
            timeout?.Dispose();
        }

        var connection = grant.Connection ?? await EstablishAsync(waiter, grant, started, operation).ConfigureAwait(false);
        _log.Publish(new ConnectionCheckedOutEvent(_server, connection.Id, Stopwatch.GetElapsedTime(started)));
        return connection;
    }

    /// <summary>
    /// Opens the connection <paramref name="grant"/> allows and returns it, or a connection checked in before it is
    /// ready (Dispatch hands those to <see cref="_openers"/> first); then the new connection goes to the pool.
    /// </summary>
    private async Task<Connection> EstablishAsync(Waiter waiter, Grant grant, long checkoutStarted, OperationContext operation)
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
            _log.Publish(new ConnectionCheckOutFailedEvent(_server, CheckOutFailedReason.ConnectionError, Stopwatch.GetElapsedTime(checkoutStarted)));
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
            List<(Connection, ConnectionClosedReason)>? perished = null;
            lock (_lock)
            {
                _total--;
                _pending--;
                Dispatch(ref perished);
            }
            await CloseAsync(perished).ConfigureAwait(false);
            _log.Publish(new ConnectionClosedEvent(_server, grant.Id, ConnectionClosedReason.Error));
            if (e is MongoAuthenticationException or MongoConnectionException { DuringAuthentication: true })
            {
                // An authentication failure, or a network failure during auth, clears the pool (SDAM handshake
                // errors); a refused TCP connect or a failed hello does not. In load-balanced mode hello already named
                // the backend: only its connections are cleared (load-balancers spec, "Initial Handshake Errors").
                if (!_options.LoadBalanced)
                {
                    Clear(grant.Generation, e);
                }
                else if (e is MongoException { ServiceId: { } service })
                {
                    ClearService(service, ServiceGeneration(service));
                }
            }
            throw;
        }
        List<(Connection, ConnectionClosedReason)>? stale = null;
        lock (_lock)
        {
            if (connection.ServiceId is { } service)
            {
                // Load-balanced mode: the connection belongs to its service's generation, known only after hello.
                connection.Generation = _serviceGenerations.GetValueOrDefault(service);
            }
            // The maxConnecting slot is free again: the next waiter may start opening its own connection.
            _pending--;
            Dispatch(ref stale);
        }
        await CloseAsync(stale).ConfigureAwait(false);
        _log.Publish(new ConnectionReadyEvent(_server, grant.Id, watch.Elapsed));
        return connection;
    }

    /// <summary>Returns a connection; <paramref name="fromCheckout"/> is false for a connection the background fill opened.</summary>
    public async ValueTask CheckInAsync(Connection connection, bool fromCheckout = true)
    {
        if (fromCheckout && _log.IsObserved)
        {
            // The same for every check-in of the connection: made once.
            _log.Publish(connection.CheckedInEvent ??= new ConnectionCheckedInEvent(_server, connection.Id));
        }
        List<(Connection, ConnectionClosedReason)>? perished = null;
        lock (_lock)
        {
            if (_state == PoolState.Closed)
            {
                _total--;
                (perished ??= []).Add((connection, ConnectionClosedReason.PoolClosed));
            }
            else if (PerishedReason(connection) is { } reason)
            {
                _total--;
                (perished ??= []).Add((connection, reason));
            }
            else
            {
                _available.Push(connection);
            }
            Dispatch(ref perished);
        }
        if (perished is not null)
        {
            await CloseAsync(perished).ConfigureAwait(false);
        }
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

    /// <summary>The current generation of a backend's connections (load-balanced mode).</summary>
    private int ServiceGeneration(ObjectId serviceId)
    {
        lock (_lock)
        {
            return _serviceGenerations.GetValueOrDefault(serviceId);
        }
    }

    /// <summary>Hands idle connections or permissions to connect to the waiters at the head of the queue. Under the lock.</summary>
    private void Dispatch(ref List<(Connection, ConnectionClosedReason)>? perished)
    {
        // Waiters still opening their own connection were first in line: they get idle connections first. Their
        // handoff runs its continuation inline (see Waiter.Handoff), so under this lock it is completed from the pool.
        while (_openers.First is { } opener && TakeAvailable(ref perished) is { } idle)
        {
            _openers.RemoveFirst();
            ThreadPool.UnsafeQueueUserWorkItem(static handed => handed.Handoff.TrySetResult(handed.Idle), (opener.Value.Handoff, Idle: idle), preferLocal: false);
        }
        while (_waiters.First is { } node)
        {
            var connection = TakeAvailable(ref perished);
            if (connection is not null)
            {
                _waiters.RemoveFirst();
                node.Value.Completion.TrySetResult(new Grant(connection, connection.Id, connection.Generation));
            }
            else if (CanStartConnecting())
            {
                _waiters.RemoveFirst();
                node.Value.Handoff = new();
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

    private Connection? TakeAvailable(ref List<(Connection, ConnectionClosedReason)>? perished)
    {
        while (_available.TryPop(out var connection))
        {
            if (PerishedReason(connection) is { } reason)
            {
                _total--;
                (perished ??= []).Add((connection, reason));
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

    private async ValueTask CloseAsync(List<(Connection Connection, ConnectionClosedReason Reason)>? connections)
    {
        if (connections is null)
        {
            return;
        }
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

    /// <summary>
    /// Tops the pool up to minPoolSize with maxConnecting connections in flight: as soon as one is ready the next
    /// starts (a warm-up of 100 connections is not 50 rounds each as slow as its slowest handshake). Stops when
    /// operations wait (they open their own) or one fails (the next maintenance round tries again).
    /// </summary>
    private async Task FillAsync(CancellationToken token)
    {
        var opening = new List<Task>();
        StartFilling(opening, token);
        while (opening.Count > 0)
        {
            var done = await Task.WhenAny(opening).ConfigureAwait(false);
            opening.Remove(done);
            try
            {
                await done.ConfigureAwait(false);
            }
            catch
            {
                // Let the others finish (each handles its own connection) before the failure goes to the loop.
                await Task.WhenAll(opening).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw;
            }
            StartFilling(opening, token);
        }
    }

    private void StartFilling(List<Task> opening, CancellationToken token)
    {
        lock (_lock)
        {
            while (_state == PoolState.Ready && _waiters.Count == 0 && _total < _options.MinPoolSize && CanStartConnecting())
            {
                opening.Add(OpenIntoPoolAsync(ReserveNew(), token));
            }
        }
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
        /// Made when the waiter becomes an opener (under the lock, before its grant completes); waiters served from
        /// the pool never need one. Its continuation runs inline: the thread that finished opening the connection goes
        /// on with the operation (a cold connect's first command) instead of queueing it behind a hop through the
        /// thread pool. It is therefore never completed under the pool's lock (Dispatch queues its completion).
        public TaskCompletionSource<Connection> Handoff { get; set; } = null!;

        public LinkedListNode<Waiter>? Node { get; set; }

        /// <summary>The bound of the wait, for the deadline's callback.</summary>
        public OperationContext Wait { get; set; }
    }

    /// <summary>A checked-out idle connection, or (Connection null) permission to open connection <see cref="Id"/>.</summary>
    private readonly record struct Grant(Connection? Connection, long Id, int Generation);
}
