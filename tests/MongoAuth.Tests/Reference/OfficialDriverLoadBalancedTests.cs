using MongoAuth.TestServer;
using MongoAuth.TestServer.Topology;
using MongoDB.Bson;
using Official = MongoDB.Driver;
using OfficialClusters = MongoDB.Driver.Core.Clusters;

namespace MongoAuth.Tests.Reference;

/// <summary>
/// The official driver in load-balanced mode against the test server's load balancer: it accepts the serviceId, pins
/// its cursors (none of its getMores reach another connection), and refuses the lying variant.
/// </summary>
public sealed class OfficialDriverLoadBalancedTests
{
    private static Official.MongoClient Connect(MongoTestLoadBalancer balancer) =>
        new($"{balancer.ConnectionString}&serverSelectionTimeoutMS=5000&connectTimeoutMS=5000");

    [Fact]
    public async Task The_official_driver_reads_through_the_load_balancer_with_pinned_cursors()
    {
        await using var balancer = await MongoTestLoadBalancer.StartAsync(new TestServerOptions { RequireAuthentication = false });
        using var client = Connect(balancer);
        var items = client.GetDatabase("app").GetCollection<BsonDocument>("items");
        await items.InsertManyAsync(Enumerable.Range(0, 10).Select(i => new BsonDocument("_id", i)));

        using var first = await items.FindAsync(Official.FilterDefinition<BsonDocument>.Empty, new Official.FindOptions<BsonDocument> { BatchSize = 2 });
        using var second = await items.FindAsync(Official.FilterDefinition<BsonDocument>.Empty, new Official.FindOptions<BsonDocument> { BatchSize = 2 });
        var read = 0;
        while (await first.MoveNextAsync())
        {
            read += first.Current.Count();
            await second.MoveNextAsync();
        }

        Assert.Equal(10, read);
        Assert.Equal(OfficialClusters.ClusterType.LoadBalanced, client.Cluster.Description.Type);
        Assert.Equal(2, balancer.CursorConnections.Values.Distinct().Count());
        Assert.Equal(0, balancer.CursorCommandsOffTheirConnection);
    }

    [Fact]
    public async Task The_official_driver_refuses_a_hello_without_serviceId_too()
    {
        await using var balancer = await MongoTestLoadBalancer.StartAsync(new TestServerOptions { RequireAuthentication = false }, sendServiceId: false);
        using var client = Connect(balancer);

        await Assert.ThrowsAnyAsync<Exception>(() => client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1)));
        Assert.Equal(0, balancer.Server.Statistics.CommandsReceived("ping"));
    }
}
