using MongoAuth.Benchmarks.Harness;

namespace MongoAuth.Tests.Benchmarks;

public sealed class InterleavingTests
{
    [Theory]
    [InlineData(0, new[] { 0, 1, 2 })]
    [InlineData(1, new[] { 1, 2, 0 })]
    [InlineData(2, new[] { 2, 0, 1 })]
    [InlineData(3, new[] { 0, 1, 2 })]
    public void The_first_contender_rotates_from_round_to_round(int round, int[] expected) =>
        Assert.Equal(expected, Interleaving.Order(3, round));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Over_as_many_rounds_as_contenders_each_runs_once_in_every_position(int count)
    {
        var orders = Enumerable.Range(0, count).Select(round => Interleaving.Order(count, round)).ToList();

        foreach (var order in orders)
        {
            Assert.Equal(Enumerable.Range(0, count), order.Order());
        }

        for (var position = 0; position < count; position++)
        {
            Assert.Equal(Enumerable.Range(0, count), orders.Select(order => order[position]).Order());
        }
    }

    [Fact]
    public async Task Warm_up_rounds_run_every_contender_but_are_not_recorded()
    {
        var calls = new List<(string Name, bool Record)>();

        await Interleaving.RunAsync(["a", "b"], warmupRounds: 1, rounds: 2, (name, record) =>
        {
            calls.Add((name, record));
            return Task.CompletedTask;
        });

        Assert.Equal([("a", false), ("b", false), ("b", true), ("a", true), ("a", true), ("b", true)], calls);
    }

    [Fact]
    public void Impossible_shapes_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Interleaving.Order(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Interleaving.Order(2, -1));
    }
}
