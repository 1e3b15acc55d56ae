using MongoAuth.ConnectionStrings;
using MongoAuth.Topology;

namespace MongoAuth.Tests.Topology;

/// <summary>
/// The rescan rules of polling-srv-records-for-mongos-discovery as pure functions: which hosts a new answer leaves in
/// the topology (srvMaxHosts included), how the topology changes, when to rescan, and which topologies are polled.
/// </summary>
public sealed class SrvPollingRulesTests
{
    private static MongoServerAddress A(string host, int port = 27017) => new(host, port);

    private static SrvRecord R(string host, int port = 27017, int? ttlSeconds = null) =>
        new(host, port) { TimeToLive = ttlSeconds is { } s ? TimeSpan.FromSeconds(s) : null };

    private static string[] Names(IEnumerable<MongoServerAddress> hosts) => [.. hosts.Select(h => h.ToString()).Order(StringComparer.Ordinal)];

    [Fact]
    public void Without_a_limit_hosts_no_longer_listed_leave_and_new_ones_join()
    {
        var next = SrvResolver.SelectHosts([A("a.x.com"), A("b.x.com")], [R("b.x.com"), R("c.x.com"), R("c.x.com")], srvMaxHosts: 0);

        Assert.Equal(["b.x.com:27017", "c.x.com:27017"], Names(next));
    }

    [Fact]
    public void Hosts_are_the_same_whatever_their_case_and_ports_tell_them_apart()
    {
        var next = SrvResolver.SelectHosts([A("a.x.com", 1)], [R("A.X.COM", 1), R("a.x.com", 2)], srvMaxHosts: 0);

        Assert.Equal(2, next.Count);
        Assert.Contains(next, h => h.Port == 1);
        Assert.Contains(next, h => h.Port == 2);
    }

    [Fact]
    public void A_full_topology_takes_no_new_host_while_its_hosts_are_still_listed()
    {
        var next = SrvResolver.SelectHosts([A("a.x.com"), A("b.x.com")], [R("a.x.com"), R("b.x.com"), R("c.x.com"), R("d.x.com")], srvMaxHosts: 2);

        Assert.Equal(["a.x.com:27017", "b.x.com:27017"], Names(next));
    }

    [Fact]
    public void With_a_limit_kept_hosts_stay_and_random_new_ones_fill_up_to_it()
    {
        var picked = new HashSet<string>();
        for (var i = 0; i < 60; i++)
        {
            var next = SrvResolver.SelectHosts([A("a.x.com"), A("b.x.com")], [R("a.x.com"), R("c.x.com"), R("d.x.com"), R("e.x.com")], srvMaxHosts: 2);

            Assert.Equal(2, next.Count);
            Assert.Contains(A("a.x.com"), next);
            Assert.DoesNotContain(A("b.x.com"), next);
            picked.Add(next.Single(h => h.Host != "a.x.com").Host);
        }

        // Each of the three new hosts was chosen in some run (the chance that one never is: about 3 * (2/3)^60).
        Assert.Equal(["c.x.com", "d.x.com", "e.x.com"], picked.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_initial_selection_is_the_same_rule_with_no_current_hosts()
    {
        Assert.Equal(["a.x.com:27017", "b.x.com:27017"], Names(SrvResolver.SelectHosts([], [R("a.x.com"), R("b.x.com")], 0)));
        Assert.Equal(3, SrvResolver.SelectHosts([], [R("a.x.com"), R("b.x.com"), R("c.x.com"), R("d.x.com")], 3).Count);
    }

    [Theory]
    [InlineData(new[] { 300, 120 }, 60, 120)] // the lowest TTL
    [InlineData(new[] { 30, 120 }, 60, 60)] // never below the minimum
    [InlineData(new int[0], 60, 60)] // no TTL known: the minimum
    public void The_rescan_interval_is_the_lowest_ttl_but_not_below_the_minimum(int[] ttls, int minimum, int expected)
    {
        var records = ttls.Select((t, i) => R($"h{i}.x.com", ttlSeconds: t)).Append(R("no-ttl.x.com"));

        Assert.Equal(TimeSpan.FromSeconds(expected), SrvResolver.RescanInterval(records, TimeSpan.FromSeconds(minimum)));
    }

    [Fact]
    public void The_topology_keeps_descriptions_of_remaining_hosts_and_adds_new_ones_as_unknown()
    {
        var kept = new ServerDescription { Address = A("b.x.com"), Type = ServerType.Mongos };
        var before = TopologyDescription.Initial([A("a.x.com"), A("b.x.com")], null, false, null) with { Type = TopologyType.Sharded };
        before = before with { Servers = before.Servers.SetItem(kept.Address, kept) };

        var after = SrvPollingRules.WithHosts(before, [A("B.X.COM"), A("c.x.com")]);

        Assert.Equal(TopologyType.Sharded, after.Type);
        Assert.Equal(["b.x.com:27017", "c.x.com:27017"], Names(after.Servers.Keys));
        Assert.Same(kept, after.Servers[A("b.x.com")]);
        Assert.Equal(ServerType.Unknown, after.Servers[A("c.x.com")].Type);
        Assert.Same(before, SrvPollingRules.WithHosts(before, [A("a.x.com"), A("b.x.com")]));
    }

    [Theory]
    [InlineData(TopologyType.Sharded, true)]
    [InlineData(TopologyType.Unknown, true)]
    [InlineData(TopologyType.ReplicaSetNoPrimary, false)]
    [InlineData(TopologyType.ReplicaSetWithPrimary, false)]
    [InlineData(TopologyType.Single, false)]
    [InlineData(TopologyType.LoadBalanced, false)]
    public void Only_sharded_and_unknown_topologies_are_polled(TopologyType type, bool polls) => Assert.Equal(polls, SrvPollingRules.Polls(type));
}
