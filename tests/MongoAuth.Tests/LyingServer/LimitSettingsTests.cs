namespace MongoAuth.Tests.LyingServer;

public sealed class LimitSettingsTests
{
    [Fact]
    public void Defaults_are_documented_values_and_valid()
    {
        var settings = new MongoClientSettings();

        Assert.Equal(1_000_000, settings.MaxScramIterationCount);
        Assert.Equal(48_000_000, settings.MaxWireMessageSize);
        settings.Validate();
    }

    [Theory]
    [InlineData(4095)]
    [InlineData(0)]
    [InlineData(-1)]
    public void An_iteration_cap_below_the_scram_minimum_is_refused_when_the_client_is_built(int cap)
    {
        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(new MongoClientSettings { MaxScramIterationCount = cap }));

        Assert.Equal("MaxScramIterationCount", error.OptionName);
        Assert.Contains("at least 4096", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(65_535)]
    [InlineData(0)]
    [InlineData(int.MaxValue)]
    public void A_message_size_cap_outside_its_range_is_refused_when_the_client_is_built(int cap)
    {
        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(new MongoClientSettings { MaxWireMessageSize = cap }));

        Assert.Equal("MaxWireMessageSize", error.OptionName);
        Assert.Contains("from 65536 to 2147483591 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bounds_of_both_ranges_are_accepted()
    {
        new MongoClientSettings { MaxScramIterationCount = 4096, MaxWireMessageSize = 65_536 }.Validate();
        new MongoClientSettings { MaxScramIterationCount = int.MaxValue, MaxWireMessageSize = Array.MaxLength }.Validate();
    }
}
