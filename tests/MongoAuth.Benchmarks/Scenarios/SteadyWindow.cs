using System.Diagnostics;
using MongoAuth.Benchmarks.Clients;

namespace MongoAuth.Benchmarks.Scenarios;

/// <summary>The outcome of one steady-state window.</summary>
/// <param name="Operations">Operations answered (pings, or the CRUD row's operation).</param>
/// <param name="Elapsed">Wall time from start until the last worker stopped.</param>
/// <param name="AllocatedBytes">Bytes allocated in this process meanwhile (all threads).</param>
internal readonly record struct SteadyWindow(long Operations, TimeSpan Elapsed, long AllocatedBytes)
{
    /// <summary>Pings per second.</summary>
    public double OpsPerSecond => Operations / Elapsed.TotalSeconds;

    /// <summary>Bytes allocated per ping.</summary>
    public double BytesPerOp => Operations == 0 ? 0 : (double)AllocatedBytes / Operations;

    /// <summary>
    /// Runs <paramref name="workers"/> loops that ping until <paramref name="window"/> has passed. Allocation is the
    /// delta of <see cref="GC.GetTotalAllocatedBytes(bool)"/> (precise, every thread of this process): the server is
    /// another process, so only client-side allocations count.
    /// </summary>
    public static Task<SteadyWindow> RunAsync(IBenchClient client, int workers, TimeSpan window, CancellationToken cancellationToken) =>
        RunAsync(client.PingAsync, workers, window, cancellationToken);

    /// <summary>As above with any operation (the CRUD rows): <paramref name="workers"/> loops of <paramref name="operation"/>.</summary>
    public static async Task<SteadyWindow> RunAsync(Func<CancellationToken, ValueTask> operation, int workers, TimeSpan window, CancellationToken cancellationToken)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(window.TotalSeconds * Stopwatch.Frequency);
        var loops = new Task<long>[workers];
        for (var i = 0; i < workers; i++)
        {
            loops[i] = Task.Run(async () =>
            {
                long done = 0;
                while (Stopwatch.GetTimestamp() < end)
                {
                    await operation(cancellationToken).ConfigureAwait(false);
                    done++;
                }

                return done;
            }, cancellationToken);
        }

        var counts = await Task.WhenAll(loops).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        return new SteadyWindow(counts.Sum(), elapsed, allocated);
    }
}
