using MongoAuth.Tests.Support;
using MongoAuth.Tests.Topology;
using MongoAuth.TestServer.Topology;
using MongoDB.Bson;
using Official = MongoDB.Driver;
using OfficialClusters = MongoDB.Driver.Core.Clusters;
using OfficialServers = MongoDB.Driver.Core.Servers;

namespace MongoAuth.Tests.Reference;

/// <summary>
/// The official driver, which no one here wrote, against the test server's replica set and mongos routers: it must
/// discover the same topology our client does, and its retryable writes must survive a step-down.
/// </summary>
public sealed class OfficialDriverTopologyTests
{
    private static Official.MongoClient Connect(string connectionString)
    {
        var separator = connectionString.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return new Official.MongoClient($"{connectionString}{separator}serverSelectionTimeoutMS=15000&heartbeatFrequencyMS=500");
    }

    private static async Task<OfficialClusters.ClusterDescription> WaitForAsync(Official.MongoClient client, Func<OfficialClusters.ClusterDescription, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition(client.Cluster.Description))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the official driver saw {client.Cluster.Description}");
            await Task.Delay(50);
        }

        return client.Cluster.Description;
    }

    [Theory, BothModes]
    public async Task The_official_driver_and_ours_see_the_same_replica_set(Mode mode)
    {
        await using var set = await ReplicaSetHarness.StartAsync(members: 3, arbiter: true);
        using var official = Connect(set.ConnectionString);
        await using var ours = new MongoClient(ReplicaSetHarness.Settings(set));

        await official.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
        await ours.PingIn(mode);
        var theirs = await WaitForAsync(official, d => d.Servers.Count == 4 && d.Servers.All(s => s.State == OfficialServers.ServerState.Connected));
        var mine = await ReplicaSetHarness.WaitForAsync(ours, t => t.Servers.Count == 4 && t.Servers.Values.All(s => s.IsKnown));

        Assert.Equal(OfficialClusters.ClusterType.ReplicaSet, theirs.Type);
        Assert.Equal(TopologyTypeName(mine.Type), theirs.Type.ToString());
        var theirServers = theirs.Servers.ToDictionary(s => Endpoint(s.EndPoint), s => s.Type.ToString());
        var myServers = mine.Servers.Values.ToDictionary(s => s.Address.ToString(), s => OfficialName(s.Type));
        Assert.Equal(theirServers.OrderBy(p => p.Key), myServers.OrderBy(p => p.Key));
        Assert.Equal("ReplicaSetPrimary", theirServers[set.Addresses[0]]);
        Assert.Equal("ReplicaSetArbiter", theirServers[set.Addresses[3]]);
    }

    [Fact]
    public async Task The_official_drivers_retryable_writes_survive_a_step_down_on_the_test_server()
    {
        await using var set = await ReplicaSetHarness.StartAsync(members: 3);
        using var official = Connect(set.ConnectionString);
        var items = official.GetDatabase("app").GetCollection<BsonDocument>("items");

        for (var i = 0; i < 60; i++)
        {
            if (i is 20 or 40)
            {
                set.StepDown(TimeSpan.FromMilliseconds(200));
            }

            await items.InsertOneAsync(new BsonDocument("_id", i));
        }

        Assert.Equal(60, await items.CountDocumentsAsync(new BsonDocument()));
    }

    [Theory, BothModes]
    public async Task Both_drivers_see_mongos_routers_as_a_sharded_cluster_and_ours_writes_through_a_stopped_router(Mode mode)
    {
        await using var routers = await MongoTestShardedCluster.StartAsync(new MongoAuth.TestServer.TestServerOptions { RequireAuthentication = false }, 2, default);
        using var official = Connect(routers.ConnectionString);
        await official.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
        var theirs = await WaitForAsync(official, d => d.Servers.All(s => s.State == OfficialServers.ServerState.Connected));
        Assert.Equal(OfficialClusters.ClusterType.Sharded, theirs.Type);
        Assert.All(theirs.Servers, s => Assert.Equal(OfficialServers.ServerType.ShardRouter, s.Type));

        await using var ours = new MongoClient(MongoClientSettings.FromConnectionString(routers.ConnectionString) with { HeartbeatFrequency = TimeSpan.FromMilliseconds(500) });
        await ours.PingIn(mode);
        var mine = await ReplicaSetHarness.WaitForAsync(ours, t => t.Servers.Count == 2 && t.Servers.Values.All(s => s.Type == MongoAuth.Topology.ServerType.Mongos));
        Assert.Equal(MongoAuth.Topology.TopologyType.Sharded, mine.Type);

        await routers.StopRouterAsync(0);
        var lsid = ReplicaSetHarness.NewSession();
        for (var i = 0; i < 10; i++)
        {
            var reply = await ReplicaSetHarness.InsertAsync(ours, mode, lsid, i + 1, new BsonDocument("_id", i));
            Assert.Equal(1, reply["n"].ToInt32());
        }
    }

    private static string Endpoint(System.Net.EndPoint endPoint) => endPoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        System.Net.IPEndPoint ip => $"{ip.Address}:{ip.Port}",
        _ => endPoint.ToString() ?? "",
    };

    private static string TopologyTypeName(MongoAuth.Topology.TopologyType type) => type switch
    {
        MongoAuth.Topology.TopologyType.ReplicaSetWithPrimary or MongoAuth.Topology.TopologyType.ReplicaSetNoPrimary => "ReplicaSet",
        MongoAuth.Topology.TopologyType.Single => "Standalone",
        _ => type.ToString(),
    };

    private static string OfficialName(MongoAuth.Topology.ServerType type) => type switch
    {
        MongoAuth.Topology.ServerType.RSPrimary => "ReplicaSetPrimary",
        MongoAuth.Topology.ServerType.RSSecondary => "ReplicaSetSecondary",
        MongoAuth.Topology.ServerType.RSArbiter => "ReplicaSetArbiter",
        MongoAuth.Topology.ServerType.RSOther => "ReplicaSetOther",
        MongoAuth.Topology.ServerType.RSGhost => "ReplicaSetGhost",
        MongoAuth.Topology.ServerType.Mongos => "ShardRouter",
        _ => type.ToString(),
    };
}
