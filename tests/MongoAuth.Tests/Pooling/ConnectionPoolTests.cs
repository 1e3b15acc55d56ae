using System.Collections.Concurrent;
using System.Net;
using MongoAuth.Authentication;
using MongoAuth.Connections;
using MongoAuth.Operations;
using MongoAuth.Pooling;
using Microsoft.Extensions.Logging.Abstractions;

namespace MongoAuth.Tests.Pooling;

public sealed class ConnectionPoolTests
{
    private static readonly MongoServerAddress Server = new("127.0.0.1", 27017, MongoHostKind.IPv4);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<ConnectionPoolEvent> _events = new();

    private ConnectionPool CreatePool(int maxPoolSize = 10, int minPoolSize = 0, int maxConnecting = 2, TimeSpan? maxIdle = null,
        Func<long, int, OperationContext, Task<Connection>>? open = null)
    {
        var options = new ConnectionPoolOptions(maxPoolSize, minPoolSize, maxConnecting, maxIdle) { MaintenanceInterval = TimeSpan.FromMilliseconds(20) };
        var pool = new ConnectionPool(Server, options, open ?? OpenFake, new ConnectionPoolLog(_events.Enqueue, NullLogger.Instance));
        pool.MarkReady();
        return pool;
    }

    private static Task<Connection> OpenFake(long id, int generation, OperationContext context) =>
        Task.FromResult(NewConnection(id, generation));

    private static Connection NewConnection(long id, int generation) =>
        new(Server, id, generation, new MemoryStream(), null, new SaslConversationContext(new DnsEndPoint("127.0.0.1", 27017), false, false));

    /// <summary>A checkout in the given mode whose pool wait is bounded by <paramref name="waitQueueTimeout"/>.</summary>
    private static Task<Connection> CheckOut(ConnectionPool pool, TimeSpan waitQueueTimeout, bool isAsync, CancellationToken cancellationToken)
    {
        var operation = OperationContext.Start(isAsync, cancellationToken);
        return pool.CheckOutAsync(operation, operation.WithTimeout(waitQueueTimeout, TimeoutOption.WaitQueueTimeoutMS)).AsTask();
    }

    private IEnumerable<T> Events<T>() where T : ConnectionPoolEvent => _events.OfType<T>();

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        // A bounded wait for background work, not a timing assertion.
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task With_timeoutMS_the_pool_wait_ends_at_the_operations_deadline_and_names_timeoutMS(bool isAsync)
    {
        await using var pool = CreatePool(maxPoolSize: 1);
        var held = await CheckOut(pool, Long, isAsync: true, CancellationToken.None);
        var operation = OperationContext.Start(isAsync, CancellationToken.None, timeout: TimeSpan.FromMilliseconds(100));

        var error = await Assert.ThrowsAsync<MongoWaitQueueTimeoutException>(() => pool.CheckOutAsync(operation, operation).AsTask());

        Assert.Equal(("pool wait", "timeoutMS", TimeSpan.FromMilliseconds(100)), (error.Step, error.TimeoutOption, error.Timeout));
        await pool.CheckInAsync(held);
    }

    [Fact]
    public async Task A_checkout_creates_then_reuses_a_connection_and_emits_the_CMAP_events_in_order()
    {
        await using var pool = CreatePool();

        var first = await CheckOut(pool, Long, true, CancellationToken.None);
        await pool.CheckInAsync(first);
        var second = await CheckOut(pool, Long, true, CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(1, first.Id);
        Assert.Equal(
            [typeof(PoolCreatedEvent), typeof(PoolReadyEvent), typeof(ConnectionCheckOutStartedEvent), typeof(ConnectionCreatedEvent), typeof(ConnectionReadyEvent),
             typeof(ConnectionCheckedOutEvent), typeof(ConnectionCheckedInEvent), typeof(ConnectionCheckOutStartedEvent), typeof(ConnectionCheckedOutEvent)],
            _events.Select(e => e.GetType()));
    }

    [Fact]
    public async Task A_synchronous_checkout_opens_synchronously_and_blocks_while_the_pool_is_full()
    {
        var modes = new ConcurrentQueue<bool>();
        await using var pool = CreatePool(maxPoolSize: 1, open: (id, generation, context) =>
        {
            modes.Enqueue(context.IsAsync);
            return Task.FromResult(NewConnection(id, generation));
        });

        var first = CheckOut(pool, Long, false, CancellationToken.None);
        Assert.True(first.IsCompleted);
        var held = await first;
        var returnLater = Task.Run(async () =>
        {
            await Task.Delay(50);
            await pool.CheckInAsync(held);
        });
        var second = CheckOut(pool, Long, false, CancellationToken.None);

        Assert.True(second.IsCompleted);
        Assert.Same(held, await second);
        Assert.Equal([false], modes);
        await returnLater;
    }

    [Fact]
    public async Task A_full_pool_times_out_the_waiter_with_the_CMAP_message()
    {
        await using var pool = CreatePool(maxPoolSize: 1);
        var held = await CheckOut(pool, Long, true, CancellationToken.None);

        var error = await Assert.ThrowsAsync<MongoWaitQueueTimeoutException>(() => CheckOut(pool, TimeSpan.FromMilliseconds(50), true, CancellationToken.None));

        Assert.StartsWith("Timed out while checking out a Connection from connection pool", error.Message);
        Assert.Equal(CheckOutFailedReason.Timeout, Assert.Single(Events<ConnectionCheckOutFailedEvent>()).Reason);
        Assert.Equal(1, pool.TotalConnections);
        await pool.CheckInAsync(held);
    }

    [Fact]
    public async Task Waiters_are_served_first_in_first_out()
    {
        await using var pool = CreatePool(maxPoolSize: 1);
        var held = await CheckOut(pool, Long, true, CancellationToken.None);
        var a = CheckOut(pool, Long, true, CancellationToken.None);
        var b = CheckOut(pool, Long, true, CancellationToken.None);

        await pool.CheckInAsync(held);
        var first = await a;

        Assert.False(b.IsCompleted);
        await pool.CheckInAsync(first);
        Assert.Same(first, await b);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue()
    {
        await using var pool = CreatePool(maxPoolSize: 1);
        var held = await CheckOut(pool, Long, true, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = CheckOut(pool, Long, true, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await pool.CheckInAsync(held);
        Assert.Same(held, await CheckOut(pool, Long, true, CancellationToken.None));
    }

    [Fact]
    public async Task At_most_maxConnecting_connections_are_opened_at_once()
    {
        var inFlight = 0;
        var peak = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pool = CreatePool(maxConnecting: 2, open: async (id, generation, context) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await release.Task;
            Interlocked.Decrement(ref inFlight);
            return NewConnection(id, generation);
        });

        var checkouts = Enumerable.Range(0, 5).Select(_ => CheckOut(pool, Long, true, CancellationToken.None)).ToList();
        await EventuallyAsync(() => Volatile.Read(ref inFlight) == 2);
        await Task.Delay(50);
        Assert.Equal(2, Volatile.Read(ref inFlight));
        release.SetResult();
        var connections = await Task.WhenAll(checkouts);

        Assert.Equal(2, peak);
        Assert.Equal(5, connections.Select(c => c.Id).Distinct().Count());
    }

    /// <summary>A pool whose first connection opens at once and whose later ones wait for <paramref name="gate"/>.</summary>
    private ConnectionPool CreateGatedPool(Task gate, Exception? laterFailure = null) =>
        CreatePool(maxConnecting: 1, open: async (id, generation, _) =>
        {
            if (id > 1)
            {
                await gate;
                if (laterFailure is not null)
                {
                    throw laterFailure;
                }
            }
            return NewConnection(id, generation);
        });

    /// <summary>Checks out connection 1 and starts a second checkout, which is opening connection 2 when this returns.</summary>
    private async Task<(Connection First, Task<Connection> Second)> HoldOneAndStartOpeningAnotherAsync(ConnectionPool pool)
    {
        var first = await CheckOut(pool, Long, true, CancellationToken.None);
        var second = CheckOut(pool, Long, true, CancellationToken.None);
        await EventuallyAsync(() => Events<ConnectionCreatedEvent>().Count() == 2);
        return (first, second);
    }

    [Fact]
    public async Task A_waiter_opening_a_connection_takes_one_checked_in_meanwhile_and_its_own_goes_to_the_pool()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pool = CreateGatedPool(gate.Task);
        var (first, second) = await HoldOneAndStartOpeningAnotherAsync(pool);
        Assert.False(second.IsCompleted);

        await pool.CheckInAsync(first);

        Assert.Same(first, await second.WaitAsync(Long));
        gate.SetResult();
        await EventuallyAsync(() => pool.AvailableConnections == 1);
        Assert.Equal(2, pool.TotalConnections);
        Assert.Equal(2, (await CheckOut(pool, Long, true, CancellationToken.None)).Id);
        Assert.Equal([1L], Events<ConnectionCheckedInEvent>().Select(e => e.ConnectionId));
        Assert.Empty(Events<ConnectionCheckOutFailedEvent>());
    }

    [Fact]
    public async Task A_failed_open_whose_waiter_was_already_served_fails_no_checkout_and_frees_its_slot()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pool = CreateGatedPool(gate.Task, new MongoConnectionException("refused"));
        var (first, second) = await HoldOneAndStartOpeningAnotherAsync(pool);

        await pool.CheckInAsync(first);
        Assert.Same(first, await second.WaitAsync(Long));
        gate.SetResult();

        await EventuallyAsync(() => Events<ConnectionClosedEvent>().Any());
        Assert.Equal((2L, ConnectionClosedReason.Error), Events<ConnectionClosedEvent>().Select(e => (e.ConnectionId, e.Reason)).Single());
        Assert.Equal(1, pool.TotalConnections);
        Assert.Equal(0, pool.Generation);
        Assert.Empty(Events<ConnectionCheckOutFailedEvent>());
    }

    [Fact]
    public async Task A_waiter_whose_own_open_fails_before_any_check_in_gets_the_error()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pool = CreateGatedPool(gate.Task, new MongoConnectionException("refused"));
        var (first, second) = await HoldOneAndStartOpeningAnotherAsync(pool);

        gate.SetResult();

        Assert.Equal("refused", (await Assert.ThrowsAsync<MongoConnectionException>(() => second)).Message);
        Assert.Equal(CheckOutFailedReason.ConnectionError, Assert.Single(Events<ConnectionCheckOutFailedEvent>()).Reason);
        await pool.CheckInAsync(first);
        Assert.Same(first, await CheckOut(pool, Long, true, CancellationToken.None));
    }

    [Fact]
    public async Task Clear_fails_waiters_at_once_and_retires_older_connections()
    {
        await using var pool = CreatePool(maxPoolSize: 1);
        var held = await CheckOut(pool, Long, true, CancellationToken.None);
        var waiting = CheckOut(pool, Long, true, CancellationToken.None);

        pool.Clear(held.Generation, new IOException("network down"));

        var error = await Assert.ThrowsAsync<MongoPoolClearedException>(() => waiting);
        Assert.Contains("was cleared because another operation failed with: network down", error.Message);
        Assert.Equal(1, pool.Generation);
        await Assert.ThrowsAsync<MongoPoolClearedException>(() => CheckOut(pool, Long, true, CancellationToken.None));

        await pool.CheckInAsync(held);
        Assert.Equal(ConnectionClosedReason.Stale, Assert.Single(Events<ConnectionClosedEvent>()).Reason);
        pool.MarkReady();
        var fresh = await CheckOut(pool, Long, true, CancellationToken.None);
        Assert.Equal(1, fresh.Generation);
        Assert.Single(Events<PoolClearedEvent>());
    }

    [Fact]
    public async Task A_failure_from_an_older_generation_does_not_clear_again()
    {
        await using var pool = CreatePool();
        pool.Clear(0, new IOException("first"));
        pool.MarkReady();

        pool.Clear(0, new IOException("late report from the old generation"));

        Assert.Equal(1, pool.Generation);
        Assert.Single(Events<PoolClearedEvent>());
    }

    [Fact]
    public async Task An_authentication_failure_while_opening_clears_the_pool()
    {
        await using var pool = CreatePool(open: (_, _, _) => throw new MongoAuthenticationException("bad password"));

        await Assert.ThrowsAsync<MongoAuthenticationException>(() => CheckOut(pool, Long, true, CancellationToken.None));

        Assert.Equal(1, pool.Generation);
        Assert.Equal(0, pool.TotalConnections);
        Assert.Equal(ConnectionClosedReason.Error, Assert.Single(Events<ConnectionClosedEvent>()).Reason);
        Assert.Equal(CheckOutFailedReason.ConnectionError, Assert.Single(Events<ConnectionCheckOutFailedEvent>()).Reason);
    }

    [Fact]
    public async Task A_network_failure_while_opening_frees_the_slot_without_clearing()
    {
        var attempts = 0;
        await using var pool = CreatePool(maxPoolSize: 1, open: (id, generation, _) =>
            Interlocked.Increment(ref attempts) == 1 ? throw new MongoConnectionException("refused") : Task.FromResult(NewConnection(id, generation)));

        await Assert.ThrowsAsync<MongoConnectionException>(() => CheckOut(pool, Long, true, CancellationToken.None));
        var connection = await CheckOut(pool, Long, true, CancellationToken.None);

        Assert.Equal(0, pool.Generation);
        Assert.Equal(2, connection.Id);
    }

    [Fact]
    public async Task MinPoolSize_is_filled_in_the_background()
    {
        await using var pool = CreatePool(minPoolSize: 3);

        await EventuallyAsync(() => pool.AvailableConnections == 3);

        Assert.Equal(3, Events<ConnectionReadyEvent>().Count());
        Assert.Empty(Events<ConnectionCheckOutStartedEvent>());
    }

    [Fact]
    public async Task Idle_connections_are_closed_after_maxIdleTime()
    {
        await using var pool = CreatePool(maxIdle: TimeSpan.FromMilliseconds(30));
        var connection = await CheckOut(pool, Long, true, CancellationToken.None);
        await pool.CheckInAsync(connection);

        await EventuallyAsync(() => Events<ConnectionClosedEvent>().Any());

        Assert.Equal(ConnectionClosedReason.Idle, Assert.Single(Events<ConnectionClosedEvent>()).Reason);
        Assert.Equal(2, (await CheckOut(pool, Long, true, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task A_closed_pool_refuses_checkouts_and_closes_returned_connections()
    {
        var pool = CreatePool();
        var held = await CheckOut(pool, Long, true, CancellationToken.None);

        await pool.DisposeAsync();

        var error = await Assert.ThrowsAsync<ObjectDisposedException>(() => CheckOut(pool, Long, true, CancellationToken.None));
        Assert.Contains("closed connection pool", error.Message);
        await pool.CheckInAsync(held);
        Assert.Equal(ConnectionClosedReason.PoolClosed, Assert.Single(Events<ConnectionClosedEvent>()).Reason);
        Assert.Single(Events<PoolClosedEvent>());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
