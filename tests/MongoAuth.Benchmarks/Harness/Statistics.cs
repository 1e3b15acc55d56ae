namespace MongoAuth.Benchmarks.Harness;

/// <summary>Order statistics of a set of samples: median, p90 and the range.</summary>
/// <param name="Count">How many samples.</param>
/// <param name="Median">The 50th percentile.</param>
/// <param name="P90">The 90th percentile.</param>
/// <param name="Min">The smallest sample.</param>
/// <param name="Max">The largest sample.</param>
internal sealed record Summary(int Count, double Median, double P90, double Min, double Max)
{
    /// <summary>Summarizes <paramref name="samples"/>; throws when there are none.</summary>
    public static Summary Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("No samples to summarize.", nameof(samples));
        }

        var sorted = samples.Order().ToArray();
        return new Summary(sorted.Length, Statistics.Percentile(sorted, 50), Statistics.Percentile(sorted, 90), sorted[0], sorted[^1]);
    }
}

/// <summary>Percentiles by linear interpolation between closest ranks (the "type 7" estimator of R and NumPy).</summary>
internal static class Statistics
{
    /// <summary>
    /// The <paramref name="percent"/>th percentile of <paramref name="sorted"/>, which must be sorted ascending and
    /// not empty. Rank <c>p/100·(n−1)</c>, interpolated between its two neighbours.
    /// </summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        if (sorted.Count == 0)
        {
            throw new ArgumentException("No samples.", nameof(sorted));
        }

        if (percent is < 0 or > 100 || double.IsNaN(percent))
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentile lies between 0 and 100.");
        }

        var rank = percent / 100 * (sorted.Count - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((rank - lower) * (sorted[upper] - sorted[lower]));
    }

    /// <summary>The median of <paramref name="samples"/> (any order, not empty).</summary>
    public static double Median(IEnumerable<double> samples) => Percentile(samples.Order().ToArray(), 50);
}
