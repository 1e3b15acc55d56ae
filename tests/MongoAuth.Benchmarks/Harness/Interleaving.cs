namespace MongoAuth.Benchmarks.Harness;

/// <summary>
/// Runs contenders in interleaved rounds: every round runs each contender once, and the starting contender
/// rotates from round to round, so slow drift of the machine (other processes, thermal state, GC of the server)
/// spreads over all columns instead of favouring whoever runs first or last.
/// </summary>
internal static class Interleaving
{
    /// <summary>The order of <paramref name="count"/> contenders in round <paramref name="round"/> (0-based).</summary>
    public static int[] Order(int count, int round)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = (i + round) % count;
        }

        return order;
    }

    /// <summary>
    /// Runs <paramref name="warmupRounds"/> unrecorded rounds (JIT, connection caches), then
    /// <paramref name="rounds"/> recorded ones. <paramref name="body"/> gets the contender and whether to record.
    /// </summary>
    public static async Task RunAsync<T>(IReadOnlyList<T> contenders, int warmupRounds, int rounds, Func<T, bool, Task> body)
    {
        for (var round = 0; round < warmupRounds + rounds; round++)
        {
            foreach (var index in Order(contenders.Count, round))
            {
                await body(contenders[index], round >= warmupRounds).ConfigureAwait(false);
            }
        }
    }
}
