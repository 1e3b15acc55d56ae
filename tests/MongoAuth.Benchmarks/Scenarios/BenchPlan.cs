namespace MongoAuth.Benchmarks.Scenarios;

/// <summary>How many rounds and how long each scenario runs; <see cref="Quick"/> is for iterating, <see cref="Full"/> for numbers.</summary>
/// <param name="Mode">"quick" or "full", printed in the report.</param>
/// <param name="WarmupRounds">Unrecorded rounds before each scenario (JIT, first-use costs).</param>
/// <param name="ColdConnectRounds">Recorded cold connects per client and variant.</param>
/// <param name="PoolFillRounds">Recorded pool fills per client and variant.</param>
/// <param name="SteadyRounds">Recorded steady-state windows per client, variant and worker count.</param>
/// <param name="SteadyWindow">Length of one steady-state window.</param>
/// <param name="SampleTimeout">A sample that takes longer fails its client's cell instead of hanging the run.</param>
internal sealed record BenchPlan(string Mode, int WarmupRounds, int ColdConnectRounds, int PoolFillRounds, int SteadyRounds,
    TimeSpan SteadyWindow, TimeSpan SampleTimeout)
{
    /// <summary>
    /// When set, only the rows whose name contains this text (ignoring case) run; the others are left out of the
    /// report. For measuring one path while working on it, never for the numbers in docs/performance.md.
    /// </summary>
    public string? Only { get; init; }

    /// <summary>Whether <paramref name="row"/> runs under <see cref="Only"/>.</summary>
    public bool Includes(string row) => Only is null || row.Contains(Only, StringComparison.OrdinalIgnoreCase);

    /// <summary>Concurrent pings (and maxPoolSize) in the pool-fill scenario.</summary>
    public const int PoolFillSize = 100;

    /// <summary>Worker counts of the steady-state scenario.</summary>
    public static readonly IReadOnlyList<int> SteadyWorkers = [8, 64];

    /// <summary>Under two minutes on the 2-core reference machine.</summary>
    public static BenchPlan Quick { get; } = new("quick", 1, 5, 3, 3, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(60));

    /// <summary>Under fifteen minutes on the 2-core reference machine.</summary>
    public static BenchPlan Full { get; } = new("full", 2, 31, 11, 9, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));
}
