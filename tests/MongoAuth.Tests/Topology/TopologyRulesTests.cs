using MongoAuth.Topology;
using MongoDB.Bson;

namespace MongoAuth.Tests.Topology;

/// <summary>The replica-set discovery rules, case by case, written from server-discovery-and-monitoring's prose.</summary>
public sealed class TopologyRulesTests
{
    private static readonly MongoServerAddress A = new("a", 27017);
    private static readonly MongoServerAddress B = new("b", 27017);
    private static readonly MongoServerAddress C = new("c", 27017);

    private static ServerDescription Hello(MongoServerAddress server, BsonDocument fields)
    {
        var reply = new BsonDocument { { "ok", 1 }, { "maxWireVersion", 25 }, { "me", server.ToString() } }.Merge(fields, overwriteExistingElements: true);
        return ServerDescription.FromHello(server, reply, TimeSpan.FromMilliseconds(1));
    }

    private static ServerDescription Primary(MongoServerAddress server, string set = "rs", BsonArray? hosts = null, ObjectId? electionId = null, int setVersion = 1) =>
        Hello(server, new BsonDocument
        {
            { "isWritablePrimary", true }, { "setName", set }, { "hosts", hosts ?? new BsonArray { A.ToString(), B.ToString() } },
            { "setVersion", setVersion }, { "electionId", electionId ?? new ObjectId("000000000000000000000001") },
        });

    private static ServerDescription Secondary(MongoServerAddress server, string set = "rs", BsonArray? hosts = null, string? primary = null)
    {
        var fields = new BsonDocument { { "secondary", true }, { "setName", set }, { "hosts", hosts ?? new BsonArray { A.ToString(), B.ToString() } } };
        if (primary is not null)
        {
            fields["primary"] = primary;
        }

        return Hello(server, fields);
    }

    private static TopologyDescription Start(string? replicaSet = null, bool? direct = null, params MongoServerAddress[] seeds) =>
        TopologyDescription.Initial(seeds, direct, loadBalanced: false, replicaSet);

    [Fact]
    public void The_initial_type_follows_the_options()
    {
        Assert.Equal(TopologyType.Unknown, Start(null, null, A, B).Type);
        Assert.Equal(TopologyType.Single, Start(null, true, A).Type);
        Assert.Equal(TopologyType.ReplicaSetNoPrimary, Start("rs", null, A).Type);
        Assert.Equal(TopologyType.LoadBalanced, TopologyDescription.Initial([A], null, loadBalanced: true, null).Type);
    }

    [Fact]
    public void Hello_fields_give_the_server_type()
    {
        Assert.Equal(ServerType.Mongos, Hello(A, new BsonDocument("msg", "isdbgrid")).Type);
        Assert.Equal(ServerType.Standalone, Hello(A, new BsonDocument("isWritablePrimary", true)).Type);
        Assert.Equal(ServerType.RSPrimary, Hello(A, new BsonDocument { { "ismaster", true }, { "setName", "rs" } }).Type);
        Assert.Equal(ServerType.RSSecondary, Hello(A, new BsonDocument { { "secondary", true }, { "setName", "rs" } }).Type);
        Assert.Equal(ServerType.RSArbiter, Hello(A, new BsonDocument { { "arbiterOnly", true }, { "setName", "rs" } }).Type);
        Assert.Equal(ServerType.RSOther, Hello(A, new BsonDocument { { "secondary", true }, { "hidden", true }, { "setName", "rs" } }).Type);
        Assert.Equal(ServerType.RSOther, Hello(A, new BsonDocument("setName", "rs")).Type);
        Assert.Equal(ServerType.RSGhost, Hello(A, new BsonDocument("isreplicaset", true)).Type);
        Assert.Equal(ServerType.Unknown, ServerDescription.FromHello(A, new BsonDocument { { "ok", 0 }, { "errmsg", "x" } }, null).Type);
    }

    [Fact]
    public void A_primary_makes_the_set_and_its_host_list_replaces_the_seeds()
    {
        var topology = TopologyRules.Apply(Start(null, null, A, C), Primary(A));

        Assert.Equal(TopologyType.ReplicaSetWithPrimary, topology.Type);
        Assert.Equal("rs", topology.SetName);
        Assert.Equal([A, B], topology.Servers.Keys.OrderBy(k => k.Host));
        Assert.Equal(ServerType.Unknown, topology.Servers[B].Type);
    }

    [Fact]
    public void A_secondary_adds_the_members_it_lists_but_removes_nobody()
    {
        var topology = TopologyRules.Apply(Start(null, null, A, C), Secondary(A, hosts: [A.ToString(), B.ToString()]));

        Assert.Equal(TopologyType.ReplicaSetNoPrimary, topology.Type);
        Assert.Equal([A, B, C], topology.Servers.Keys.OrderBy(k => k.Host));
    }

    [Fact]
    public void A_member_of_another_set_is_removed()
    {
        var topology = TopologyRules.Apply(Start("rs", null, A, B), Secondary(B, set: "other"));

        Assert.False(topology.Servers.ContainsKey(B));
        Assert.Equal("rs", topology.SetName);
    }

    [Fact]
    public void A_member_whose_me_differs_from_its_address_is_removed()
    {
        var reply = Secondary(A) with { Me = C };

        var topology = TopologyRules.Apply(Start("rs", null, A, B), reply);

        Assert.False(topology.Servers.ContainsKey(A));
    }

    [Fact]
    public void A_standalone_among_several_seeds_is_removed_and_a_lone_one_makes_the_topology_Single()
    {
        var standalone = Hello(A, new BsonDocument("isWritablePrimary", true));

        Assert.False(TopologyRules.Apply(Start(null, null, A, B), standalone).Servers.ContainsKey(A));
        Assert.Equal(TopologyType.Single, TopologyRules.Apply(Start(null, null, A), standalone).Type);
    }

    [Fact]
    public void Mongos_makes_the_topology_Sharded_and_a_non_mongos_there_is_removed()
    {
        var sharded = TopologyRules.Apply(Start(null, null, A, B), Hello(A, new BsonDocument("msg", "isdbgrid")));
        Assert.Equal(TopologyType.Sharded, sharded.Type);

        var after = TopologyRules.Apply(sharded, Secondary(B));
        Assert.False(after.Servers.ContainsKey(B));
    }

    [Fact]
    public void A_new_primary_demotes_the_old_one_to_Unknown()
    {
        var topology = TopologyRules.Apply(Start("rs", null, A, B), Primary(A, electionId: new ObjectId("000000000000000000000001")));

        topology = TopologyRules.Apply(topology, Primary(B, electionId: new ObjectId("000000000000000000000002")));

        Assert.Equal(B, topology.Primary!.Address);
        Assert.Equal(ServerType.Unknown, topology.Servers[A].Type);
        Assert.Equal(new ObjectId("000000000000000000000002"), topology.MaxElectionId);
    }

    [Fact]
    public void A_primary_with_an_older_electionId_is_stale_and_becomes_Unknown()
    {
        var topology = TopologyRules.Apply(Start("rs", null, A, B), Primary(B, electionId: new ObjectId("000000000000000000000002")));

        topology = TopologyRules.Apply(topology, Primary(A, electionId: new ObjectId("000000000000000000000001")));

        Assert.Equal(B, topology.Primary!.Address);
        Assert.Equal(ServerType.Unknown, topology.Servers[A].Type);
        Assert.Contains("stale primary", topology.Servers[A].Error);
    }

    [Fact]
    public void With_equal_electionIds_a_lower_setVersion_is_stale()
    {
        var election = new ObjectId("000000000000000000000005");
        var topology = TopologyRules.Apply(Start("rs", null, A, B), Primary(B, electionId: election, setVersion: 3));

        topology = TopologyRules.Apply(topology, Primary(A, electionId: election, setVersion: 2));

        Assert.Equal(B, topology.Primary!.Address);
    }

    [Fact]
    public void Losing_the_primary_makes_the_set_ReplicaSetNoPrimary()
    {
        var topology = TopologyRules.Apply(Start("rs", null, A, B), Primary(A));

        topology = TopologyRules.Apply(topology, ServerDescription.Unknown(A, "connection refused"));

        Assert.Equal(TopologyType.ReplicaSetNoPrimary, topology.Type);
        Assert.Equal("connection refused", topology.Servers[A].Error);
    }

    [Fact]
    public void A_description_with_an_older_topologyVersion_of_the_same_process_is_ignored()
    {
        var process = ObjectId.GenerateNewId();
        var topology = TopologyRules.Apply(Start("rs", null, A, B), Primary(A) with { TopologyVersion = (process, 5) });

        var late = TopologyRules.Apply(topology, Secondary(A) with { TopologyVersion = (process, 4) });
        var restarted = TopologyRules.Apply(topology, Secondary(A) with { TopologyVersion = (ObjectId.GenerateNewId(), 0) });

        Assert.Equal(ServerType.RSPrimary, late.Servers[A].Type);
        Assert.Equal(ServerType.RSSecondary, restarted.Servers[A].Type);
    }

    [Fact]
    public void Direct_connection_keeps_Single_whatever_the_server_is_unless_its_set_name_differs()
    {
        var single = TopologyRules.Apply(Start(null, true, A), Secondary(A));
        Assert.Equal(TopologyType.Single, single.Type);
        Assert.Equal(ServerType.RSSecondary, single.Servers[A].Type);
        Assert.Single(single.Servers);

        var wrongSet = TopologyRules.Apply(Start("other", true, A), Secondary(A));
        Assert.Equal(ServerType.Unknown, wrongSet.Servers[A].Type);
        Assert.Contains("not the replicaSet 'other'", wrongSet.Servers[A].Error);
    }

    [Fact]
    public void A_late_result_for_a_removed_server_changes_nothing()
    {
        var topology = TopologyRules.Apply(Start(null, null, A, C), Primary(A));

        Assert.Same(topology, TopologyRules.Apply(topology, Secondary(C)));
    }

    [Fact]
    public void Hosts_are_compared_case_insensitively()
    {
        var topology = TopologyRules.Apply(Start(null, null, new MongoServerAddress("A", 27017)), Primary(A, hosts: ["A:27017", "B:27017"]) with { Me = null });

        Assert.Equal(TopologyType.ReplicaSetWithPrimary, topology.Type);
        Assert.Contains(B, topology.Servers.Keys);
    }
}
