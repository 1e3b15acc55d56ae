using System.Diagnostics;
using MongoAuth.Authentication;
using MongoAuth.Connections;
using MongoAuth.Operations;
using MongoDB.Bson;

namespace MongoAuth.Topology;

/// <summary>
/// Watches one server (server-discovery-and-monitoring, "Monitoring"): its own connection, never authenticated and
/// never pooled; a hello every heartbeatFrequencyMS, or — when the server sends a topologyVersion and
/// serverMonitoringMode allows it — an awaitable hello that the server answers as soon as its state changes (or after
/// heartbeatFrequencyMS), with a separate round-trip monitor on a second connection. Each result goes to the cluster
/// as a new <see cref="ServerDescription"/>; a failed check makes the server Unknown with the reason.
/// </summary>
internal sealed class ServerMonitor : IAsyncDisposable
{
    /// <summary>The shortest time between two checks, however often one is requested (minHeartbeatFrequencyMS).</summary>
    public static readonly TimeSpan MinHeartbeatFrequency = TimeSpan.FromMilliseconds(500);

    private readonly MongoServerAddress _address;
    private readonly ConnectionFactory _factory;
    private readonly MongoClientSettings _settings;
    private readonly Action<ServerDescription> _report;
    private readonly Action<TopologyEvent>? _events;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _checkNow = new(0, 1);
    private readonly RoundTripAverage _roundTrip = new();
    private Task _loop = Task.CompletedTask;
    private Task _roundTripLoop = Task.CompletedTask;
    private Connection? _connection;
    private Connection? _roundTripConnection;
    private long _nextConnectionId;

    public ServerMonitor(MongoServerAddress address, ConnectionFactory factory, MongoClientSettings settings, Action<ServerDescription> report, Action<TopologyEvent>? events)
    {
        _address = address;
        _factory = factory;
        _settings = settings;
        _report = report;
        _events = events;
    }

    public MongoServerAddress Address => _address;

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Asks for a check now (after an error on the server, or while a selection waits); at most one is queued.</summary>
    public void RequestCheck()
    {
        try
        {
            if (_checkNow.CurrentCount == 0)
            {
                _checkNow.Release();
            }
        }
        catch (Exception e) when (e is SemaphoreFullException or ObjectDisposedException)
        {
            // A check is already pending, or the monitor stopped.
        }
    }

    private bool Streams => !string.Equals(_settings.ServerMonitoringMode, "poll", StringComparison.OrdinalIgnoreCase);

    private async Task RunAsync()
    {
        var token = _stop.Token;
        var previous = ServerDescription.Unknown(_address);
        while (!token.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            var description = await CheckAsync(previous, token).ConfigureAwait(false);
            if (token.IsCancellationRequested)
            {
                return;
            }

            _report(description);
            var awaited = previous.TopologyVersion is not null && description.TopologyVersion is not null && Streams && description.IsKnown;
            previous = description;
            if (awaited)
            {
                // Streaming: the next awaitable hello waits on the server; start the round-trip monitor once.
                if (_roundTripLoop.IsCompleted)
                {
                    _roundTripLoop = Task.Run(() => MeasureRoundTripsAsync(token));
                }

                continue;
            }

            await WaitForNextCheckAsync(started, token).ConfigureAwait(false);
        }
    }

    /// <summary>Waits heartbeatFrequencyMS, or less when a check is requested, but never less than 500 ms since the last check.</summary>
    private async Task WaitForNextCheckAsync(long started, CancellationToken token)
    {
        try
        {
            var requested = await _checkNow.WaitAsync(_settings.HeartbeatFrequency, token).ConfigureAwait(false);
            var since = Stopwatch.GetElapsedTime(started);
            if (requested && since < MinHeartbeatFrequency)
            {
                await Task.Delay(MinHeartbeatFrequency - since, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<ServerDescription> CheckAsync(ServerDescription previous, CancellationToken token)
    {
        for (var attempt = 0; ; attempt++)
        {
            var awaited = _connection is not null && previous.TopologyVersion is not null && Streams;
            var watch = Stopwatch.StartNew();
            _events?.Invoke(new ServerHeartbeatStartedEvent(_address, awaited));
            try
            {
                BsonDocument reply;
                if (_connection is null)
                {
                    var context = OperationContext.Start(isAsync: true, token);
                    _connection = await _factory.OpenAsync(_address, Interlocked.Increment(ref _nextConnectionId), 0, context).ConfigureAwait(false);
                    watch.Restart();
                    reply = await HelloAsync(_connection, null, context.WithTimeout(_settings.ConnectTimeout, TimeoutOption.ConnectTimeoutMS)).ConfigureAwait(false);
                    _roundTrip.Add(watch.Elapsed);
                }
                else if (awaited)
                {
                    // The server holds the reply until its topologyVersion moves or heartbeatFrequencyMS passes.
                    var context = OperationContext.Start(isAsync: true, token).WithTimeout(_settings.ConnectTimeout + _settings.HeartbeatFrequency, TimeoutOption.ConnectTimeoutMS);
                    reply = await HelloAsync(_connection, previous.TopologyVersion, context).ConfigureAwait(false);
                }
                else
                {
                    var context = OperationContext.Start(isAsync: true, token).WithTimeout(_settings.ConnectTimeout, TimeoutOption.ConnectTimeoutMS);
                    reply = await HelloAsync(_connection, null, context).ConfigureAwait(false);
                    _roundTrip.Add(watch.Elapsed);
                }

                _events?.Invoke(new ServerHeartbeatSucceededEvent(_address, watch.Elapsed, awaited));
                return ServerDescription.FromHello(_address, reply, _roundTrip.Value);
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                _events?.Invoke(new ServerHeartbeatFailedEvent(_address, watch.Elapsed, e, awaited));
                await CloseConnectionAsync().ConfigureAwait(false);
                // A server that was known and fails with a network error is retried once at once (a restart or a
                // dropped idle connection), before it is declared Unknown.
                if (attempt == 0 && previous.IsKnown && e is MongoConnectionException and not MongoOperationTimeoutException)
                {
                    continue;
                }

                _roundTrip.Reset();
                return ServerDescription.Unknown(_address, e.Message);
            }
            catch (Exception)
            {
                return previous;
            }
        }
    }

    private async Task<BsonDocument> HelloAsync(Connection connection, (ObjectId ProcessId, long Counter)? topologyVersion, OperationContext context)
    {
        var useHello = connection.Description?.HelloOk == true || _settings.ServerApi is not null;
        var command = useHello ? new BsonDocument("hello", 1) : new BsonDocument { { "isMaster", 1 }, { "helloOk", true } };
        if (topologyVersion is { } version)
        {
            command["topologyVersion"] = new BsonDocument { { "processId", version.ProcessId }, { "counter", version.Counter } };
            command["maxAwaitTimeMS"] = (long)_settings.HeartbeatFrequency.TotalMilliseconds;
        }

        return await ((ICommandChannel)connection).RunCommandAsync("admin", command, "hello", context).ConfigureAwait(false);
    }

    /// <summary>The round-trip monitor of the streaming protocol: a plain hello on its own connection every heartbeatFrequencyMS.</summary>
    private async Task MeasureRoundTripsAsync(CancellationToken token)
    {
        try
        {
            while (!token.IsCancellationRequested)
            {
                try
                {
                    var context = OperationContext.Start(isAsync: true, token).WithTimeout(_settings.ConnectTimeout, TimeoutOption.ConnectTimeoutMS);
                    _roundTripConnection ??= await _factory.OpenAsync(_address, Interlocked.Increment(ref _nextConnectionId), 0, context).ConfigureAwait(false);
                    var watch = Stopwatch.StartNew();
                    await HelloAsync(_roundTripConnection, null, context).ConfigureAwait(false);
                    _roundTrip.Add(watch.Elapsed);
                }
                catch (Exception e) when (e is MongoException && !token.IsCancellationRequested)
                {
                    // The main monitor reports failures; this one only measures.
                    await CloseRoundTripConnectionAsync().ConfigureAwait(false);
                }

                await Task.Delay(_settings.HeartbeatFrequency, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await CloseRoundTripConnectionAsync().ConfigureAwait(false);
        }
    }

    private async Task CloseRoundTripConnectionAsync()
    {
        if (Interlocked.Exchange(ref _roundTripConnection, null) is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task CloseConnectionAsync()
    {
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        // Closing the connection ends an awaitable hello the server is holding.
        await CloseConnectionAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loop, _roundTripLoop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _checkNow.Dispose();
    }

    /// <summary>An exponentially weighted moving average of round trips (weight 0.2 for the newest sample), as the rules describe.</summary>
    private sealed class RoundTripAverage
    {
        private readonly Lock _lock = new();
        private TimeSpan? _value;

        public TimeSpan? Value
        {
            get
            {
                lock (_lock)
                {
                    return _value;
                }
            }
        }

        public void Add(TimeSpan sample)
        {
            lock (_lock)
            {
                _value = _value is { } average ? (0.2 * sample) + (0.8 * average) : sample;
            }
        }

        public void Reset()
        {
            lock (_lock)
            {
                _value = null;
            }
        }
    }
}
