using MongoAuth.Pooling;
using MongoAuth.Tests.Data;
using MongoAuth.Tests.Support;
using MongoAuth.TestServer;
using MongoAuth.TestServer.FailPoints;
using MongoAuth.TestServer.Topology;
using MongoAuth.Topology;
using MongoDB.Bson;

namespace MongoAuth.Tests.Topology;

/// <summary>
/// Load-balanced mode against the test server's load balancer (two mongos backends behind one address): serviceId
/// required, cursors pinned to their connection, clears per service, no monitoring, the topology never changes.
/// </summary>
public sealed class LoadBalancedTests
{
    private static Task<MongoTestLoadBalancer> StartAsync(bool sendServiceId = true) =>
        MongoTestLoadBalancer.StartAsync(new TestServerOptions { RequireAuthentication = false }, services: 2, sendServiceId);

    private static MongoClientSettings Settings(MongoTestLoadBalancer balancer) =>
        MongoClientSettings.FromConnectionString(balancer.ConnectionString) with
        {
            ServerSelectionTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };

    [Theory, BothModes]
    public async Task A_hello_without_serviceId_is_an_error_that_names_the_cause(Mode mode)
    {
        await using var balancer = await StartAsync(sendServiceId: false);
        await using var client = new MongoClient(Settings(balancer));

        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => client.PingIn(mode));

        Assert.Contains("without a serviceId", error.Message);
        Assert.Contains("loadBalanced", error.Message);
        Assert.Equal(0, balancer.Server.Statistics.CommandsReceived("ping")); // nothing ran on that connection
    }

    [Theory, BothModes]
    public async Task The_same_server_without_loadBalanced_is_a_mongos_and_sends_no_serviceId(Mode mode)
    {
        await using var balancer = await StartAsync();
        await using var client = new MongoClient(Settings(balancer) with { LoadBalanced = null });

        await client.PingIn(mode);

        Assert.Equal(TopologyType.Sharded, (await ReplicaSetHarness.WaitForAsync(client, t => t.Type != TopologyType.Unknown)).Type);
        Assert.False(balancer.Server.Statistics.LastCommand("isMaster")?.Command.Contains("loadBalanced") ?? false);
    }

    [Theory, BothModes]
    public async Task No_monitor_runs_and_errors_never_change_the_topology(Mode mode)
    {
        await using var balancer = await StartAsync();
        var events = new List<TopologyEvent>();
        await using var client = new MongoClient(Settings(balancer) with
        {
            HeartbeatFrequency = TimeSpan.FromMilliseconds(500),
            RetryWrites = false,
            TopologyEventHandler = e => { lock (events) { events.Add(e); } },
        });
        await client.PingIn(mode);
        balancer.Server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], ErrorCode = 10107, Times = 1 });

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => client.PingIn(mode));
        await Task.Delay(1200); // more than two heartbeats: a monitor would have checked by now
        await client.PingIn(mode);

        Assert.Equal(10107, error.Code);
        var topology = client.Topology!;
        Assert.Equal(TopologyType.LoadBalanced, topology.Type);
        Assert.Equal(ServerType.LoadBalancer, Assert.Single(topology.Servers.Values).Type);
        lock (events)
        {
            Assert.DoesNotContain(events, e => e is ServerHeartbeatStartedEvent);
            Assert.DoesNotContain(events, e => e is ServerDescriptionChangedEvent { New.Type: ServerType.Unknown });
        }
        // Only the application's connections reached the server, each with one hello carrying loadBalanced: true.
        Assert.Equal(balancer.Server.Statistics.ConnectionsAccepted, balancer.Server.Statistics.CommandsReceived("hello"));
        Assert.Equal(0, balancer.Server.Statistics.CommandsReceived("isMaster"));
        Assert.True(balancer.Server.Statistics.LastCommand("hello")!.Command["loadBalanced"].AsBoolean);
    }

    [Theory, BothModes]
    public async Task A_network_error_clears_only_the_connections_of_its_service(Mode mode)
    {
        await using var balancer = await StartAsync();
        var events = new List<ConnectionPoolEvent>();
        await using var client = new MongoClient(Settings(balancer) with
        {
            RetryReads = false,
            ConnectionPoolEventHandler = e => { lock (events) { events.Add(e); } },
        });
        // Three connections at once (two on one backend, one on the other): three pings held 500 ms by the server.
        balancer.Server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], BlockTime = TimeSpan.FromMilliseconds(500), Times = 3 });
        await ModeExtensions.Concurrently(3, () => client.PingIn(mode));
        Assert.Equal(3, Count<ConnectionReadyEvent>(events));

        // The next ping's connection is dropped by the server: a network error on one backend.
        balancer.Server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], CloseConnection = true, Times = 1 });
        await Assert.ThrowsAsync<MongoConnectionException>(() => client.PingIn(mode));
        for (var i = 0; i < 5; i++)
        {
            await client.PingIn(mode);
        }

        ConnectionPoolEvent[] seen;
        lock (events)
        {
            seen = [.. events];
        }
        var cleared = Assert.Single(seen.OfType<PoolClearedEvent>());
        Assert.Contains(cleared.ServiceId!.Value, balancer.ServiceIds);
        // The pool stayed ready (no pause in load-balanced mode) and the other backend's connection was kept: at most
        // one idle connection (of the failed backend) was closed as stale, and no ping needed a new connection.
        Assert.DoesNotContain(seen, e => e is ConnectionCheckOutFailedEvent);
        Assert.InRange(seen.OfType<ConnectionClosedEvent>().Count(e => e.Reason == ConnectionClosedReason.Stale), 0, 1);
        Assert.Equal(3, seen.OfType<ConnectionCreatedEvent>().Count());
    }

    [Theory, BothModes]
    public async Task Each_cursor_keeps_its_connection_for_getMore_and_killCursors(Mode mode)
    {
        await using var balancer = await StartAsync();
        await using var client = new MongoClient(Settings(balancer));
        var items = client.GetDatabase("app").GetCollection<BsonDocument>("items");
        await items.InsertManyAsync(Enumerable.Range(0, 10).Select(i => new BsonDocument("_id", i)));
        var options = new FindOptions<BsonDocument> { BatchSize = 2 };

        using var first = await mode.Run(() => items.FindSync(FilterDefinition<BsonDocument>.Empty, options), () => items.FindAsync(FilterDefinition<BsonDocument>.Empty, options));
        Assert.Equal(1, client.Cluster.PinnedConnections);
        using var second = await mode.Run(() => items.FindSync(FilterDefinition<BsonDocument>.Empty, options), () => items.FindAsync(FilterDefinition<BsonDocument>.Empty, options));
        Assert.Equal(2, client.Cluster.PinnedConnections);
        // Operations meanwhile use other connections.
        await client.PingIn(mode);

        var read = new List<int>();
        var firstOpen = true;
        for (var round = 0; round < 3; round++)
        {
            // Alternate between the two cursors: each getMore must reach the backend (and connection) that owns it.
            firstOpen = await mode.Run(() => first.MoveNext(), () => first.MoveNextAsync());
            read.AddRange(first.Current.Select(d => d["_id"].AsInt32));
            Assert.True(await mode.Run(() => second.MoveNext(), () => second.MoveNextAsync()));
        }

        await mode.Run(() => second.Dispose(), () => ((IAsyncDisposable)second).DisposeAsync().AsTask()); // killCursors on its connection
        while (await mode.Run(() => first.MoveNext(), () => first.MoveNextAsync()))
        {
            read.AddRange(first.Current.Select(d => d["_id"].AsInt32));
        }

        Assert.True(firstOpen);
        Assert.Equal(Enumerable.Range(0, 10), read);
        Assert.Equal(2, balancer.CursorConnections.Values.Distinct().Count()); // the two cursors were opened on two connections
        Assert.Equal(0, balancer.CursorCommandsOffTheirConnection);
        Assert.Equal(1, balancer.Server.Statistics.CommandsReceived("killCursors"));
        Assert.Equal(0, balancer.Server.OpenCursorCount);
        Assert.Equal(0, client.Cluster.PinnedConnections); // both connections went back to the pool
    }

    private static int Count<T>(List<ConnectionPoolEvent> events)
    {
        lock (events)
        {
            return events.OfType<T>().Count();
        }
    }
}
