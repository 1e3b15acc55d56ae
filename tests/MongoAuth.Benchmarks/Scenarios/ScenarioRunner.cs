using System.Diagnostics;
using MongoAuth.Benchmarks.Clients;
using MongoAuth.Benchmarks.Harness;
using MongoAuth.Benchmarks.Report;

namespace MongoAuth.Benchmarks.Scenarios;

/// <summary>
/// Runs each scenario for every client, interleaved round by round, and records the samples. A client that fails
/// (error or timeout) gets the reason in its cell and sits out the rest of that row; the others go on.
/// </summary>
internal sealed partial class ScenarioRunner(ResultBook book, BenchPlan plan, IReadOnlyList<IBenchClientFactory> clients, TextWriter log)
{
    /// <summary>
    /// New client → first ping answered; the client is disposed after the clock stops. With a SCRAM credential the
    /// floor's round also times one PBKDF2 derivation at the server's iteration count, and records the reference
    /// (<see cref="Rows.Reference"/>): that derivation plus the floor's connect-and-ping of the same round.
    /// </summary>
    public Task ColdConnectAsync(string row, BenchTarget target, CancellationToken cancellationToken) =>
        RunRowAsync(row, plan.ColdConnectRounds, Metrics.Milliseconds, async (factory, record, token) =>
        {
            if (factory.NotMeasured(target) is { } reason)
            {
                book.NotMeasured(row, factory.Name, reason);
                log.WriteLine($"   {factory.Name} not measured: {reason}");
                return;
            }

            var clock = Stopwatch.StartNew();
            var client = factory.Create(target, BenchPlan.PoolFillSize);
            double elapsed;
            await using (client.ConfigureAwait(false))
            {
                await client.PingAsync(token).ConfigureAwait(false);
                elapsed = clock.Elapsed.TotalMilliseconds;
                if (record)
                {
                    book.Add(row, factory.Name, Metrics.Milliseconds, elapsed);
                }
            }

            if (factory.Name == Rows.Floor && ScramReference.For(target.Credential) is { } reference)
            {
                var derivation = reference.TimeOneDerivation().TotalMilliseconds;
                if (record)
                {
                    book.Add(row, Rows.Reference, Metrics.Pbkdf2Milliseconds, derivation);
                    book.Add(row, Rows.Reference, Metrics.Milliseconds, elapsed + derivation);
                }
            }
        }, cancellationToken);

    /// <summary>
    /// New client with minPoolSize = maxPoolSize = 100 → 100 authenticated connections ready (one ping starts each
    /// driver's pool; see <see cref="IBenchClient.WarmUpAsync"/>); connections and derivations counted.
    /// </summary>
    public Task PoolWarmUpAsync(string row, BenchTarget target, CancellationToken cancellationToken) =>
        RunRowAsync(row, plan.PoolFillRounds, Metrics.Milliseconds, async (factory, record, token) =>
        {
            var clock = Stopwatch.StartNew();
            var client = factory.Create(target with { MinPoolSize = BenchPlan.PoolFillSize }, BenchPlan.PoolFillSize);
            await using (client.ConfigureAwait(false))
            {
                await client.WarmUpAsync(BenchPlan.PoolFillSize, token).ConfigureAwait(false);
                var elapsed = clock.Elapsed;
                if (record)
                {
                    book.Add(row, factory.Name, Metrics.Milliseconds, elapsed.TotalMilliseconds);
                    book.Add(row, factory.Name, Metrics.Connections, client.ConnectionsOpened);
                    if (client.KeyDerivations is { } derivations)
                    {
                        book.Add(row, factory.Name, Metrics.KeyDerivations, derivations);
                    }
                }
            }
        }, cancellationToken);

    /// <summary>New client with maxPoolSize 100 → 100 concurrent pings all answered; connections and derivations counted.</summary>
    public Task PoolFillAsync(string row, BenchTarget target, CancellationToken cancellationToken) =>
        RunRowAsync(row, plan.PoolFillRounds, Metrics.Milliseconds, async (factory, record, token) =>
        {
            var clock = Stopwatch.StartNew();
            var client = factory.Create(target, BenchPlan.PoolFillSize);
            await using (client.ConfigureAwait(false))
            {
                var pings = new Task[BenchPlan.PoolFillSize];
                for (var i = 0; i < pings.Length; i++)
                {
                    pings[i] = client.PingAsync(token).AsTask();
                }

                await Task.WhenAll(pings).ConfigureAwait(false);
                var elapsed = clock.Elapsed;
                if (record)
                {
                    book.Add(row, factory.Name, Metrics.Milliseconds, elapsed.TotalMilliseconds);
                    book.Add(row, factory.Name, Metrics.Connections, client.ConnectionsOpened);
                    if (client.KeyDerivations is { } derivations)
                    {
                        book.Add(row, factory.Name, Metrics.KeyDerivations, derivations);
                    }
                }
            }
        }, cancellationToken);

    /// <summary>
    /// One warmed client per kind, kept across rounds; each round runs <paramref name="workers"/> ping loops for one
    /// window and records pings per second and bytes allocated in this process per ping.
    /// </summary>
    public async Task SteadyStateAsync(string row, BenchTarget target, int workers, CancellationToken cancellationToken)
    {
        var warmed = new Dictionary<string, IBenchClient>();
        try
        {
            await RunRowAsync(row, plan.SteadyRounds, Metrics.OpsPerSecond, async (factory, record, token) =>
            {
                if (!warmed.TryGetValue(factory.Name, out var client))
                {
                    client = factory.Create(target, Math.Max(workers, BenchPlan.PoolFillSize));
                    warmed.Add(factory.Name, client);
                    await SteadyWindow.RunAsync(client, workers, TimeSpan.FromSeconds(0.2), token).ConfigureAwait(false);
                }

                var window = await SteadyWindow.RunAsync(client, workers, plan.SteadyWindow, token).ConfigureAwait(false);
                if (record)
                {
                    book.Add(row, factory.Name, Metrics.OpsPerSecond, window.OpsPerSecond);
                    book.Add(row, factory.Name, Metrics.BytesPerOp, window.BytesPerOp);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var client in warmed.Values)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether <paramref name="row"/> runs in this plan (see <see cref="BenchPlan.Only"/>).</summary>
    public bool Includes(string row) => plan.Includes(row);

    private Task RunRowAsync(string row, int rounds, string metric, Func<IBenchClientFactory, bool, CancellationToken, Task> body,
        CancellationToken cancellationToken) =>
        RunRowAsync(clients, factory => factory.Name, row, rounds, metric, body, cancellationToken);

    /// <summary>Runs one row over <paramref name="contenders"/> (the ping clients, or the CRUD clients), interleaved.</summary>
    private async Task RunRowAsync<TFactory>(IReadOnlyList<TFactory> contenders, Func<TFactory, string> nameOf, string row, int rounds, string metric,
        Func<TFactory, bool, CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        if (!plan.Includes(row))
        {
            return;
        }

        log.WriteLine($"== {row}");
        await Interleaving.RunAsync(contenders, plan.WarmupRounds, rounds, async (factory, record) =>
        {
            if (book.Failure(row, nameOf(factory)) is not null)
            {
                return;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(plan.SampleTimeout);
            try
            {
                await body(factory, record, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                var reason = e is OperationCanceledException
                    ? $"timed out after {plan.SampleTimeout.TotalSeconds:0} s"
                    : $"{e.GetType().Name}: {FirstLine(e.Message)}";
                book.Fail(row, nameOf(factory), reason);
                log.WriteLine($"   {nameOf(factory)} failed: {reason}");
            }
        }).ConfigureAwait(false);
        foreach (var factory in contenders)
        {
            if (book.Get(row, nameOf(factory), metric) is { } summary)
            {
                log.WriteLine($"   {nameOf(factory),-15} median {summary.Median,10:0.0} {metric}  (p90 {summary.P90:0.0})");
            }
        }
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length <= 200 ? line : line[..200] + "…";
    }
}
