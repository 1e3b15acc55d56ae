using MongoAuth.ConnectionStrings;

namespace MongoAuth.Tests.ConnectionStrings;

/// <summary>§8.5 with a stub DNS resolver.</summary>
public sealed class SrvResolverTests
{
    private sealed class StubDns(IReadOnlyList<SrvRecord> srv, params string[][] txt) : IDnsResolver
    {
        public List<string> Queries { get; } = [];

        public Task<IReadOnlyList<SrvRecord>> ResolveSrvAsync(string name, CancellationToken cancellationToken)
        {
            Queries.Add(name);
            return Task.FromResult(srv);
        }

        public Task<IReadOnlyList<IReadOnlyList<string>>> ResolveTxtAsync(string name, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<IReadOnlyList<string>>>(txt);
    }

    private static Task<MongoClientSettings> Resolve(string uri, StubDns dns) =>
        SrvResolver.ResolveAsync(MongoClientSettings.FromConnectionString(uri) with { DnsResolver = dns }, MongoAuth.Tests.Support.Contexts.Async);

    [Fact]
    public async Task Srv_targets_become_the_seed_list()
    {
        var dns = new StubDns([new("a.example.com", 27017), new("B.EXAMPLE.COM", 27018)]);
        var settings = await Resolve("mongodb+srv://test1.example.com/?srvServiceName=custom", dns);
        Assert.Equal(["a.example.com:27017", "B.EXAMPLE.COM:27018"], settings.Servers.Select(s => s.ToString()));
        Assert.Equal("_custom._tcp.test1.example.com", Assert.Single(dns.Queries));
        Assert.True(settings.UseTls);
    }

    [Theory]
    [InlineData("test1.example.com", "a.example.com", true)]
    [InlineData("test1.EXAMPLE.com", "a.example.COM", true)] // case-insensitive
    [InlineData("test1.example.com", "a.b.example.com", true)]
    [InlineData("test1.example.com", "a.evilexample.com", false)] // not a label boundary
    [InlineData("test1.example.com", "a.example.org", false)]
    [InlineData("test1.example.com", "example.com", false)]
    [InlineData("example.com", "a.example.com", true)] // two labels: whole host is the domain
    [InlineData("example.com", "example.com", false)] // needs one more label
    [InlineData("localhost", "a.localhost", true)]
    [InlineData("localhost", "localhost", false)]
    [InlineData("localhost", "evillocalhost", false)]
    public void Domain_check_uses_label_boundaries(string host, string target, bool ok) => Assert.Equal(ok, SrvResolver.IsInDomain(host, target));

    [Fact]
    public async Task A_target_outside_the_domain_is_an_error_naming_it()
    {
        var dns = new StubDns([new("a.example.com", 1), new("x.evil.com", 1)]);
        var error = await Assert.ThrowsAsync<MongoConfigurationException>(() => Resolve("mongodb+srv://test1.example.com", dns));
        Assert.Contains("x.evil.com", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_records_is_an_error() =>
        await Assert.ThrowsAsync<MongoConfigurationException>(() => Resolve("mongodb+srv://test1.example.com", new StubDns([])));

    [Fact]
    public async Task Txt_options_apply_unless_the_uri_gives_them()
    {
        var dns = new StubDns([new("a.example.com", 1)], ["replicaSet=rs", "0&authSource=thedb"]);
        var settings = await Resolve("mongodb+srv://u:p@test1.example.com/db", dns);
        Assert.Equal("rs0", settings.ReplicaSetName); // strings of one record are joined
        Assert.Equal("thedb", settings.Credential!.EffectiveSource);
        var uriWins = await Resolve("mongodb+srv://u:p@test1.example.com/?authSource=mine&replicaSet=other", dns);
        Assert.Equal("other", uriWins.ReplicaSetName);
        Assert.Equal("mine", uriWins.Credential!.EffectiveSource);
    }

    [Fact]
    public async Task Txt_loadBalanced_applies_and_is_checked()
    {
        var settings = await Resolve("mongodb+srv://test1.example.com", new StubDns([new("a.example.com", 1)], ["loadBalanced=true"]));
        Assert.True(settings.LoadBalanced);
        await Assert.ThrowsAsync<MongoConfigurationException>(() =>
            Resolve("mongodb+srv://test1.example.com/?srvMaxHosts=1", new StubDns([new("a.example.com", 1)], ["loadBalanced=true"])));
        var uriWins = await Resolve("mongodb+srv://test1.example.com/?loadBalanced=false", new StubDns([new("a.example.com", 1)], ["loadBalanced=true"]));
        Assert.False(uriWins.LoadBalanced);
    }

    [Fact]
    public async Task Txt_loadBalanced_with_several_srv_hosts_is_an_error() =>
        await Assert.ThrowsAsync<MongoConfigurationException>(() =>
            Resolve("mongodb+srv://test1.example.com", new StubDns([new("a.example.com", 1), new("b.example.com", 1)], ["loadBalanced=true"])));

    [Theory]
    [InlineData("ssl=false")] // only three options allowed
    [InlineData("authSource")] // no '='
    [InlineData("connectTimeoutMS=5")]
    [InlineData("loadBalanced=maybe")]
    [InlineData("authSource=")]
    public async Task Bad_txt_records_are_errors(string txt)
    {
        var error = await Assert.ThrowsAsync<MongoConfigurationException>(() =>
            Resolve("mongodb+srv://test1.example.com", new StubDns([new("a.example.com", 1)], [txt])));
        Assert.Contains("TXT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_txt_records_are_an_error() =>
        await Assert.ThrowsAsync<MongoConfigurationException>(() =>
            Resolve("mongodb+srv://test1.example.com", new StubDns([new("a.example.com", 1)], ["replicaSet=a"], ["authSource=b"])));

    [Fact]
    public async Task SrvMaxHosts_picks_that_many_distinct_targets()
    {
        SrvRecord[] records = [new("a.example.com", 1), new("b.example.com", 1), new("c.example.com", 1), new("d.example.com", 1)];
        var seen = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            var settings = await Resolve("mongodb+srv://test1.example.com/?srvMaxHosts=2", new StubDns(records));
            Assert.Equal(2, settings.Servers.Distinct().Count());
            seen.UnionWith(settings.Servers.Select(s => s.Host));
        }

        Assert.True(seen.Count > 2, "srvMaxHosts should choose at random, not always the first records");
        var all = await Resolve("mongodb+srv://test1.example.com/?srvMaxHosts=10", new StubDns(records));
        Assert.Equal(4, all.Servers.Count);
    }

    [Fact]
    public async Task The_first_rescan_comes_after_the_lowest_ttl_and_never_before_a_minute()
    {
        var longLived = await Resolve("mongodb+srv://test1.example.com", new StubDns(
            [new("a.example.com", 1) { TimeToLive = TimeSpan.FromSeconds(300) }, new("b.example.com", 1) { TimeToLive = TimeSpan.FromSeconds(90) }]));
        var shortLived = await Resolve("mongodb+srv://test1.example.com", new StubDns([new("a.example.com", 1) { TimeToLive = TimeSpan.FromSeconds(5) }]));
        var unknown = await Resolve("mongodb+srv://test1.example.com", new StubDns([new("a.example.com", 1)]));

        Assert.Equal(TimeSpan.FromSeconds(90), longLived.SrvRescanInterval);
        Assert.Equal(TimeSpan.FromSeconds(60), shortLived.SrvRescanInterval);
        Assert.Equal(TimeSpan.FromSeconds(60), unknown.SrvRescanInterval);
    }

    [Fact]
    public async Task A_rescan_ignores_records_outside_the_domain_instead_of_failing()
    {
        var settings = MongoClientSettings.FromConnectionString("mongodb+srv://test1.example.com/?srvServiceName=custom") with
        {
            DnsResolver = new StubDns([new("a.example.com", 1), new("x.evil.com", 1)]),
        };

        var (verified, ignored) = await SrvResolver.RescanAsync(settings, MongoAuth.Tests.Support.Contexts.Async);

        Assert.Equal("a.example.com", Assert.Single(verified).Target);
        Assert.Equal("x.evil.com", Assert.Single(ignored).Target);
        Assert.Equal("_custom._tcp.test1.example.com", Assert.Single(((StubDns)settings.DnsResolver).Queries));
    }

    [Fact]
    public async Task Non_srv_settings_are_returned_unchanged()
    {
        var settings = MongoClientSettings.FromConnectionString("mongodb://h");
        Assert.Same(settings, await SrvResolver.ResolveAsync(settings, MongoAuth.Tests.Support.Contexts.Async));
    }
}
