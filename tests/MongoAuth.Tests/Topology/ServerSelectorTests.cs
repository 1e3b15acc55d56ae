using System.Collections.Immutable;
using MongoAuth.Topology;

namespace MongoAuth.Tests.Topology;

/// <summary>Server selection, case by case, written from the server-selection spec's prose.</summary>
public sealed class ServerSelectorTests
{
    private static readonly TimeSpan Threshold = TimeSpan.FromMilliseconds(15);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);
    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private static ServerDescription Server(string host, ServerType type, double rttMs = 1, Dictionary<string, string>? tags = null, double writeAgeSeconds = 0) => new()
    {
        Address = new MongoServerAddress(host, 27017),
        Type = type,
        RoundTripTime = TimeSpan.FromMilliseconds(rttMs),
        Tags = tags ?? [],
        LastUpdateTime = Now,
        LastWriteDate = Now - TimeSpan.FromSeconds(writeAgeSeconds),
    };

    private static TopologyDescription Set(TopologyType type, params ServerDescription[] servers) => new()
    {
        Type = type,
        Servers = servers.ToImmutableDictionary(s => s.Address, s => s),
    };

    private static string[] Read(TopologyDescription topology, ReadPreference preference) =>
        [.. ServerSelector.ForRead(topology, preference, Threshold, Heartbeat).Select(s => s.Address.Host).Order()];

    private static readonly ServerDescription P = Server("p", ServerType.RSPrimary);
    private static readonly ServerDescription S1 = Server("s1", ServerType.RSSecondary, tags: new() { ["dc"] = "ny" });
    private static readonly ServerDescription S2 = Server("s2", ServerType.RSSecondary, tags: new() { ["dc"] = "sf" });

    [Fact]
    public void Writes_go_to_the_primary_only_and_find_nothing_without_one()
    {
        Assert.Equal("p", Assert.Single(ServerSelector.ForWrite(Set(TopologyType.ReplicaSetWithPrimary, P, S1, S2), Threshold)).Address.Host);
        Assert.Empty(ServerSelector.ForWrite(Set(TopologyType.ReplicaSetNoPrimary, S1, S2), Threshold));
    }

    [Fact]
    public void Each_mode_picks_its_members()
    {
        var withPrimary = Set(TopologyType.ReplicaSetWithPrimary, P, S1, S2);
        var noPrimary = Set(TopologyType.ReplicaSetNoPrimary, S1, S2);
        Assert.Equal(["p"], Read(withPrimary, ReadPreference.Primary));
        Assert.Empty(Read(noPrimary, ReadPreference.Primary));
        Assert.Equal(["p"], Read(withPrimary, ReadPreference.PrimaryPreferred));
        Assert.Equal(["s1", "s2"], Read(noPrimary, ReadPreference.PrimaryPreferred));
        Assert.Equal(["s1", "s2"], Read(withPrimary, ReadPreference.Secondary));
        Assert.Equal(["s1", "s2"], Read(withPrimary, ReadPreference.SecondaryPreferred));
        Assert.Equal(["p"], Read(Set(TopologyType.ReplicaSetWithPrimary, P), ReadPreference.SecondaryPreferred));
        Assert.Equal(["p", "s1", "s2"], Read(withPrimary, ReadPreference.Nearest));
    }

    [Fact]
    public void The_first_tag_set_that_matches_wins_and_an_empty_set_matches_all()
    {
        var topology = Set(TopologyType.ReplicaSetWithPrimary, P, S1, S2);
        Dictionary<string, string> la = new() { ["dc"] = "la" }, sf = new() { ["dc"] = "sf" };

        Assert.Equal(["s2"], Read(topology, ReadPreference.Secondary with { TagSets = [la, sf] }));
        Assert.Empty(Read(topology, ReadPreference.Secondary with { TagSets = [la] }));
        Assert.Equal(["s1", "s2"], Read(topology, ReadPreference.Secondary with { TagSets = [la, new Dictionary<string, string>()] }));
        // secondaryPreferred falls back to the primary when no secondary matches.
        Assert.Equal(["p"], Read(topology, ReadPreference.SecondaryPreferred with { TagSets = [la] }));
    }

    [Fact]
    public void Only_servers_within_localThresholdMS_of_the_fastest_are_candidates()
    {
        var topology = Set(TopologyType.ReplicaSetWithPrimary, P, Server("near", ServerType.RSSecondary, rttMs: 5),
            Server("edge", ServerType.RSSecondary, rttMs: 20), Server("far", ServerType.RSSecondary, rttMs: 21));

        Assert.Equal(["edge", "near"], Read(topology, ReadPreference.Secondary));
    }

    [Fact]
    public void MaxStaleness_drops_secondaries_that_trail_the_primary_too_far()
    {
        // Staleness = (lastUpdate - lastWrite of S) - (lastUpdate - lastWrite of P) + heartbeat: 60 + 10 = 70 s vs 100 + 10.
        var topology = Set(TopologyType.ReplicaSetWithPrimary, P, Server("fresh", ServerType.RSSecondary, writeAgeSeconds: 60),
            Server("stale", ServerType.RSSecondary, writeAgeSeconds: 100));

        Assert.Equal(["fresh"], Read(topology, ReadPreference.Secondary with { MaxStaleness = TimeSpan.FromSeconds(90) }));
        Assert.Equal(["fresh", "stale"], Read(topology, ReadPreference.Secondary));
    }

    [Fact]
    public void Without_a_primary_staleness_is_measured_against_the_freshest_secondary()
    {
        var fresh = Server("fresh", ServerType.RSSecondary, writeAgeSeconds: 0);
        var behind = Server("behind", ServerType.RSSecondary, writeAgeSeconds: 85);
        var topology = Set(TopologyType.ReplicaSetNoPrimary, fresh, behind);

        Assert.Equal(TimeSpan.FromSeconds(95), ServerSelector.Staleness(behind, null, fresh, Heartbeat));
        Assert.Equal(["fresh"], Read(topology, ReadPreference.Secondary with { MaxStaleness = TimeSpan.FromSeconds(90) }));
    }

    [Fact]
    public void Sharded_reads_and_writes_go_to_any_mongos_in_the_window_and_Single_to_its_server()
    {
        var sharded = Set(TopologyType.Sharded, Server("m1", ServerType.Mongos), Server("m2", ServerType.Mongos, rttMs: 2));
        Assert.Equal(["m1", "m2"], Read(sharded, ReadPreference.Secondary));
        Assert.Equal(2, ServerSelector.ForWrite(sharded, Threshold).Count);

        var single = Set(TopologyType.Single, Server("s", ServerType.RSSecondary));
        Assert.Equal(["s"], Read(single, ReadPreference.Primary));
        Assert.Single(ServerSelector.ForWrite(single, Threshold));
        Assert.Empty(Read(Set(TopologyType.Single, ServerDescription.Unknown(new MongoServerAddress("s"))), ReadPreference.Primary));
    }

    [Fact]
    public void The_read_preference_document_carries_mode_tags_and_staleness()
    {
        var preference = ReadPreference.Nearest with { TagSets = [new Dictionary<string, string> { ["dc"] = "ny" }], MaxStaleness = TimeSpan.FromSeconds(120) };

        Assert.Equal("{ \"mode\" : \"nearest\", \"tags\" : [{ \"dc\" : \"ny\" }], \"maxStalenessSeconds\" : 120 }", preference.ToDocument().ToString());
    }
}
