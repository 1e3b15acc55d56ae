using MongoAuth.Tests.Support;
using MongoAuth.Tests.Topology;
using MongoAuth.TestServer.Topology;
using MongoDB.Bson;

namespace MongoAuth.Tests.Reference;

/// <summary>
/// The Node.js driver, which no one here wrote, against the test server's replica set and mongos routers
/// (tests/node/topology.js): the topology its topologyDescriptionChanged events report — type, set name, each
/// server's type, set name and the primary it names — must be the one our client discovers.
/// </summary>
public sealed class NodeDriverTopologyTests
{
    [Theory, BothModes]
    public async Task Node_and_ours_see_the_same_replica_set(Mode mode)
    {
        await using var set = await ReplicaSetHarness.StartAsync(members: 3, arbiter: true);
        await using var ours = new MongoClient(ReplicaSetHarness.Settings(set));
        await ours.PingIn(mode);
        var mine = await ReplicaSetHarness.WaitForAsync(ours, t => t.Servers.Count == 4 && t.Servers.Values.All(s => s.IsKnown));

        var node = await NodeAsync(set.ConnectionString, 4);

        Assert.Equal("ReplicaSetWithPrimary", node["type"].AsString);
        Assert.Equal(View(mine), node.ToJson());
        Assert.Equal("RSPrimary", node["servers"][set.Addresses[0]]["type"].AsString);
        Assert.Equal("RSArbiter", node["servers"][set.Addresses[3]]["type"].AsString);
        Assert.Equal(set.Addresses[0], node["servers"][set.Addresses[1]]["primary"].AsString);
    }

    [Theory, BothModes]
    public async Task Node_and_ours_see_a_new_primary_after_a_step_down(Mode mode)
    {
        await using var set = await ReplicaSetHarness.StartAsync(members: 3);
        set.Elect(2);
        await using var ours = new MongoClient(ReplicaSetHarness.Settings(set));
        await ours.PingIn(mode);
        var mine = await ReplicaSetHarness.WaitForAsync(ours, t => t.Servers.Count == 3 && t.Servers.Values.All(s => s.IsKnown));

        var node = await NodeAsync(set.ConnectionString, 3);

        Assert.Equal("RSPrimary", node["servers"][set.Addresses[2]]["type"].AsString);
        Assert.Equal(View(mine), node.ToJson());
    }

    [Theory, BothModes]
    public async Task Node_and_ours_see_mongos_routers_as_a_sharded_cluster(Mode mode)
    {
        await using var routers = await MongoTestShardedCluster.StartAsync(new MongoAuth.TestServer.TestServerOptions { RequireAuthentication = false }, 2, default);
        await using var ours = new MongoClient(MongoClientSettings.FromConnectionString(routers.ConnectionString) with { HeartbeatFrequency = TimeSpan.FromMilliseconds(500) });
        await ours.PingIn(mode);
        var mine = await ReplicaSetHarness.WaitForAsync(ours, t => t.Servers.Count == 2 && t.Servers.Values.All(s => s.IsKnown));

        var node = await NodeAsync(routers.ConnectionString, 2);

        Assert.Equal("Sharded", node["type"].AsString);
        Assert.All(node["servers"].AsBsonDocument, s => Assert.Equal("Mongos", s.Value["type"].AsString));
        Assert.Equal(View(mine), node.ToJson());
    }

    /// <summary>Our description in the script's shape, servers in address order as the script's output is re-sorted.</summary>
    private static string View(MongoAuth.Topology.TopologyDescription topology) => new BsonDocument
    {
        { "type", topology.Type.ToString() },
        { "setName", (BsonValue?)topology.SetName ?? BsonNull.Value },
        {
            "servers", new BsonDocument(topology.Servers.Values.OrderBy(s => s.Address.ToString(), StringComparer.Ordinal).Select(s =>
                new BsonElement(s.Address.ToString(), new BsonDocument
                {
                    { "type", s.Type.ToString() },
                    { "setName", (BsonValue?)s.SetName ?? BsonNull.Value },
                    { "primary", (BsonValue?)s.Primary?.ToString() ?? BsonNull.Value },
                })))
        },
    }.ToJson();

    /// <summary>Runs tests/node/topology.js until Node.js knows <paramref name="servers"/> servers; servers re-sorted by address.</summary>
    private static async Task<BsonDocument> NodeAsync(string uri, int servers)
    {
        var (output, _) = await NodeDriver.RunScriptAsync("topology.js", "mongodb", new BsonDocument { { "uri", uri }, { "expect", servers } });
        var view = BsonDocument.Parse(output);
        view["servers"] = new BsonDocument(view["servers"].AsBsonDocument.OrderBy(e => e.Name, StringComparer.Ordinal));
        return view;
    }
}
