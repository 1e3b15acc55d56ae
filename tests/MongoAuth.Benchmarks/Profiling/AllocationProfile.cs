using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using MongoAuth.Benchmarks.Clients;
using MongoAuth.Benchmarks.Scenarios;

namespace MongoAuth.Benchmarks.Profiling;

/// <summary>
/// <c>MongoAuth.Benchmarks --server … --profile-allocations</c>: where a steady-state ping's bytes go. Exact bytes per
/// ping from <see cref="GC.GetAllocatedBytesForCurrentThread"/> (synchronous pings, which run wholly on the calling
/// thread) and from <see cref="GC.GetTotalAllocatedBytes(bool)"/> (asynchronous pings, one worker), then the
/// allocated types as the runtime samples them: its <c>GCAllocationTick</c> event (one event per ~100 KB allocated,
/// naming the type of the object that crossed the mark), read in-process with an <see cref="EventListener"/>, so
/// no tool needs installing. Over tens of thousands of pings the samples give each type's share of the bytes.
/// </summary>
internal static class AllocationProfile
{
    private const int Warmup = 2_000;
    private const int Pings = 30_000;

    public static async Task RunAsync(IBenchClientFactory factory, BenchTarget target, TextWriter output, CancellationToken cancellationToken)
    {
        var client = factory.Create(target, BenchPlan.PoolFillSize);
        await using (client.ConfigureAwait(false))
        {
            for (var i = 0; i < Warmup; i++)
            {
                await client.PingAsync(cancellationToken).ConfigureAwait(false);
            }

            var before = GC.GetTotalAllocatedBytes(precise: true);
            using (var listener = new AllocationTickListener())
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < Pings; i++)
                {
                    await client.PingAsync(cancellationToken).ConfigureAwait(false);
                }

                var elapsed = clock.Elapsed;
                var perPing = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Pings;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{factory.Name} {target.EndPoint} tls={target.Tls}: {perPing:0} B per asynchronous ping (one worker, {Pings} pings, {Pings / elapsed.TotalSeconds:0} pings/s)"));
                listener.Report(output, perPing, "ping");
            }
        }
    }
}
