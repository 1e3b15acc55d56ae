using System.Globalization;
using MongoAuth.ConnectionStrings;

namespace MongoAuth.Tests.ConnectionStrings;

/// <summary>
/// Parsing costs in proportion to the input. Measured as bytes allocated per input character (not time, which
/// depends on the machine): a quadratic step over 20,000 pairs or hosts allocates gigabytes, an order of magnitude
/// above the bound.
/// </summary>
public sealed class LinearParsingTests
{
    private const int Repeats = 20_000;
    private const long BytesPerCharacter = 200;

    [Theory]
    [InlineData("readPreferenceTags=dc:ny,rack:{i}")]
    [InlineData("readPreferenceTags=")]
    [InlineData("readPreferenceTags=novalue{i}")]
    [InlineData("appname=a{i}")]
    [InlineData("unknown{i}=x")]
    [InlineData("journal=yes")]
    [InlineData("wtimeout=1&wTimeoutMS=2")]
    [InlineData("authMechanismProperties=SERVICE_NAME:s{i},CANONICALIZE_HOST_NAME:none")]
    public void Many_options_allocate_in_proportion_to_the_string(string pair)
    {
        var options = string.Join("&", Enumerable.Range(0, Repeats).Select(i => pair.Replace("{i}", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        AssertLinear("mongodb://u@h/?authMechanism=GSSAPI&" + options);
    }

    [Fact]
    public void Many_hosts_allocate_in_proportion_to_the_string() =>
        AssertLinear("mongodb://" + string.Join(",", Enumerable.Range(0, Repeats).Select(i => $"h{i}.example.com:{1 + (i % 65535)}")) + "/db");

    [Fact]
    public void Long_percent_encoded_values_allocate_in_proportion_to_the_string() =>
        AssertLinear("mongodb://us%65r:" + string.Concat(Enumerable.Repeat("p%C3%A9", Repeats)) + "@h/?replicaSet=" + string.Concat(Enumerable.Repeat("r%2F", Repeats)));

    private static void AssertLinear(string uri)
    {
        ParseAndPrint("mongodb://u@h/?authMechanism=GSSAPI&readPreferenceTags=a:b&x=1"); // JIT and static tables outside the measurement
        var before = GC.GetAllocatedBytesForCurrentThread();
        ParseAndPrint(uri);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < BytesPerCharacter * uri.Length,
            $"{allocated:N0} bytes allocated for {uri.Length:N0} characters ({allocated / uri.Length:N0} per character; bound {BytesPerCharacter})");
    }

    private static void ParseAndPrint(string uri)
    {
        var parsed = ConnectionString.Parse(uri, new ListLogger());
        _ = parsed.ToString();
        _ = parsed.Settings.ToString();
        _ = MongoClientSettings.FromConnectionString(uri).Validate();
    }
}
