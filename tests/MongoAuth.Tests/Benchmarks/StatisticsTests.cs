using MongoAuth.Benchmarks.Harness;

namespace MongoAuth.Tests.Benchmarks;

public sealed class StatisticsTests
{
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(50, 2.5)]
    [InlineData(90, 3.7)]
    [InlineData(100, 4.0)]
    [InlineData(25, 1.75)]
    public void Percentile_interpolates_between_closest_ranks(double percent, double expected) =>
        Assert.Equal(expected, Statistics.Percentile([1.0, 2.0, 3.0, 4.0], percent), precision: 10);

    [Fact]
    public void Median_of_an_odd_count_is_the_middle_sample_whatever_the_order() =>
        Assert.Equal(7.0, Statistics.Median([9.0, 1.0, 7.0, 100.0, 3.0]));

    [Fact]
    public void A_single_sample_is_every_percentile()
    {
        Assert.Equal(42.0, Statistics.Percentile([42.0], 0));
        Assert.Equal(42.0, Statistics.Percentile([42.0], 90));
    }

    [Fact]
    public void Summary_sorts_before_taking_order_statistics()
    {
        var summary = Summary.Of([10.0, 50.0, 20.0, 40.0, 30.0, 60.0, 70.0, 80.0, 90.0, 100.0, 0.0]);

        Assert.Equal(11, summary.Count);
        Assert.Equal(50.0, summary.Median);
        Assert.Equal(90.0, summary.P90);
        Assert.Equal(0.0, summary.Min);
        Assert.Equal(100.0, summary.Max);
    }

    [Fact]
    public void No_samples_and_impossible_percentiles_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Summary.Of([]));
        Assert.Throws<ArgumentException>(() => Statistics.Percentile([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.Percentile([1.0], 101));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.Percentile([1.0], -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.Percentile([1.0], double.NaN));
    }
}
