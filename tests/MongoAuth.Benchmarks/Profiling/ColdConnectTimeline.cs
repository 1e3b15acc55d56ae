using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MongoAuth.Benchmarks.Clients;
using MongoAuth.Benchmarks.Scenarios;
using MongoAuth.Connections;
using MongoDB.Bson;

namespace MongoAuth.Benchmarks.Profiling;

/// <summary>
/// <c>MongoAuth.Benchmarks --server … --profile-cold-connect</c>: where a MongoAuth cold connect's time goes. Each
/// round builds a fresh client and pings once, as the cold-connect row does, and stamps every step it can see with
/// <see cref="Stopwatch.GetTimestamp"/> and the managed thread id: settings parsed, client built, the pool's CMAP
/// events, the connection's steps (TCP, TLS, hello, authentication: the internal <see cref="IConnectionObserver"/>
/// the CLI's <c>check</c> uses), the ping answered. A PBKDF2 derivation at the server's count and a raw-socket
/// connect-and-ping (the floor) are timed after each round, so the table sets the client's time beside what it
/// cannot avoid. Printed: the median offset of each mark from the start, the median gap to the mark before it, and
/// how often the mark ran on another thread than the one before it (a hop through the thread pool).
/// </summary>
internal static class ColdConnectTimeline
{
    private const int Warmup = 20;
    private const int Rounds = 80;
    private static readonly BsonDocument Ping = new("ping", 1);

    public static async Task RunAsync(BenchTarget target, TextWriter output, CancellationToken cancellationToken)
    {
        var reference = ScramReference.For(target.Credential);
        var floor = new FloorClientFactory();
        var rounds = new List<IReadOnlyList<Mark>>();
        var derivations = new List<double>();
        var floors = new List<double>();
        for (var round = 0; round < Warmup + Rounds; round++)
        {
            var marks = await OneRoundAsync(target, cancellationToken).ConfigureAwait(false);
            var floorStarted = Stopwatch.GetTimestamp();
            var raw = floor.Create(target, BenchPlan.PoolFillSize);
            await using (raw.ConfigureAwait(false))
            {
                await raw.PingAsync(cancellationToken).ConfigureAwait(false);
                if (round >= Warmup)
                {
                    floors.Add(Stopwatch.GetElapsedTime(floorStarted).TotalMilliseconds);
                }
            }

            if (round >= Warmup)
            {
                rounds.Add(marks);
                if (reference is not null)
                {
                    derivations.Add(reference.TimeOneDerivation().TotalMilliseconds);
                }
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MongoAuth cold connect {target.EndPoint} tls={target.Tls}: {Rounds} rounds after {Warmup} unrecorded; medians in ms"));
        output.WriteLine($"{"mark",-44} {"at",8} {"gap",8} {"hops",6}");
        var names = rounds[0].Select(m => m.Name).ToList();
        for (var i = 0; i < names.Count; i++)
        {
            var at = Median(rounds.Where(r => r.Count > i && r[i].Name == names[i]).Select(r => r[i].Milliseconds));
            var gap = i == 0 ? at : Median(rounds.Where(r => r.Count > i && r[i].Name == names[i]).Select(r => r[i].Milliseconds - r[i - 1].Milliseconds));
            var hops = i == 0 ? 0 : rounds.Count(r => r.Count > i && r[i].Thread != r[i - 1].Thread);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{names[i],-44} {at,8:0.000} {gap,8:0.000} {hops,6}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reference: PBKDF2 {Median(derivations):0.000} ms, floor connect-and-ping {Median(floors):0.000} ms, sum {Median(derivations) + Median(floors):0.000} ms"));
    }

    private static async Task<IReadOnlyList<Mark>> OneRoundAsync(BenchTarget target, CancellationToken cancellationToken)
    {
        var timeline = new Timeline();
        var settings = MongoClientSettings.FromConnectionString(target.ConnectionString(BenchPlan.PoolFillSize)) with
        {
            ConnectionPoolEventHandler = e => timeline.Add(e.GetType().Name),
        };
        timeline.Add("settings parsed");
        var client = new MongoClient(settings, timeline);
        await using (client.ConfigureAwait(false))
        {
            timeline.Add("client constructed");
            await client.GetDatabase("admin").RunCommandAsync(Ping, cancellationToken).ConfigureAwait(false);
            timeline.Add("ping answered");
            return timeline.Marks;
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private readonly record struct Mark(string Name, double Milliseconds, int Thread);

    private sealed class Timeline : IConnectionObserver
    {
        private readonly long _start = Stopwatch.GetTimestamp();
        private readonly ConcurrentQueue<Mark> _marks = new();

        public IReadOnlyList<Mark> Marks => [.. _marks];

        public void Add(string name) =>
            _marks.Enqueue(new Mark(name, Stopwatch.GetElapsedTime(_start).TotalMilliseconds, Environment.CurrentManagedThreadId));

        public void OnStepCompleted(MongoServerAddress server, ConnectionStep step, TimeSpan duration, string detail) => Add($"step {step} done");
    }
}
