using System.Collections.Concurrent;
using MongoAuth.Pooling;
using MongoAuth.Tests.Data;
using MongoAuth.Tests.Support;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.FailPoints;
using MongoAuth.TestServer.Topology;
using MongoAuth.Topology;
using MongoDB.Bson;

namespace MongoAuth.Tests.Topology;

/// <summary>
/// Load-balanced mode, an authentication failure while a new connection is established (load-balancers spec, "Initial
/// Handshake Errors"): hello has already named the backend (serviceId), so that backend's connections are cleared and
/// no other; the load balancer is not marked Unknown.
/// </summary>
public sealed class LoadBalancedAuthenticationTests
{
    [Theory, BothModes]
    public async Task An_authentication_failure_after_hello_clears_only_the_connections_of_that_service(Mode mode)
    {
        await using var balancer = await MongoTestLoadBalancer.StartAsync(new TestServerOptions { RequireAuthentication = true }, services: 2);
        balancer.Users.AddScramUser("admin", "app", "app-pw", [new GrantedRole("readWrite", "app")]);
        var events = new ConcurrentQueue<ConnectionPoolEvent>();
        await using var client = new MongoClient(MongoClientSettings.FromConnectionString($"mongodb://app:app-pw@{balancer.Address}/?loadBalanced=true") with
        {
            ServerSelectionTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            RetryReads = false,
            ConnectionPoolEventHandler = events.Enqueue,
        });
        var items = client.GetDatabase("app").GetCollection<BsonDocument>("items");
        await items.InsertManyAsync(Enumerable.Range(0, 10).Select(i => new BsonDocument("_id", i)));
        var options = new FindOptions<BsonDocument> { BatchSize = 2 };
        // A cursor holds the only connection (backend A); the next operation must open a new one (backend B).
        using var cursor = await mode.Run(() => items.FindSync(FilterDefinition<BsonDocument>.Empty, options), () => items.FindAsync(FilterDefinition<BsonDocument>.Empty, options));
        Assert.Equal(1, client.Cluster.PinnedConnections);
        var cursorService = balancer.ServiceOf(Assert.Single(balancer.CursorConnections.Values));

        // The new connection's hello (with the speculative saslStart) succeeds; its saslContinue is refused.
        balancer.Server.ConfigureFailPoint(new FailCommand { Commands = ["saslContinue"], ErrorCode = 18, Times = 1 });
        await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.PingIn(mode));

        var read = new List<int>();
        while (await mode.Run(() => cursor.MoveNext(), () => cursor.MoveNextAsync()))
        {
            read.AddRange(cursor.Current.Select(d => d["_id"].AsInt32));
        }
        await client.PingIn(mode); // the client goes on working

        Assert.Equal(Enumerable.Range(0, 10), read); // the cursor's connection, on the other backend, was left alone
        var cleared = Assert.Single(events.OfType<PoolClearedEvent>());
        Assert.NotNull(cleared.ServiceId);
        Assert.NotEqual(cursorService, cleared.ServiceId!.Value);
        Assert.Contains(cleared.ServiceId.Value, balancer.ServiceIds);
        Assert.DoesNotContain(events, e => e is ConnectionClosedEvent { Reason: ConnectionClosedReason.Stale });
        Assert.DoesNotContain(events, e => e is ConnectionCheckOutFailedEvent { Reason: CheckOutFailedReason.PoolClosed });
        var topology = client.Topology!;
        Assert.Equal(TopologyType.LoadBalanced, topology.Type);
        Assert.Equal(ServerType.LoadBalancer, Assert.Single(topology.Servers.Values).Type);
    }
}
