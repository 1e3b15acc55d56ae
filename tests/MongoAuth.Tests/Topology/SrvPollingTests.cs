using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MongoAuth.ConnectionStrings;
using MongoAuth.Diagnostics;
using MongoAuth.Pooling;
using MongoAuth.Tests.ConnectionStrings;
using MongoAuth.Tests.Data;
using MongoAuth.Tests.Support;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Topology;
using MongoAuth.Topology;
using MongoDB.Bson;

namespace MongoAuth.Tests.Topology;

/// <summary>
/// SRV polling end to end (polling-srv-records-for-mongos-discovery): a fake DNS whose SRV answer the test changes,
/// names under <c>mongo.example.test</c> that the client's internal host resolver maps to test mongos routers on
/// 127.0.0.1, and rescans every 100 ms (the internal minimum, 60 s in production).
/// </summary>
public sealed class SrvPollingTests
{
    private const string Domain = "mongo.example.test";

    /// <summary>An SRV answer the test changes, a switch to make the query fail, and a count of the queries.</summary>
    private sealed class ChangingDns : IDnsResolver
    {
        private volatile IReadOnlyList<SrvRecord> _answer = [];
        private volatile Exception? _failure;
        private int _queries;

        public Exception? Failure
        {
            get => _failure;
            set => _failure = value;
        }

        public int SrvQueries => Volatile.Read(ref _queries);

        public IReadOnlyList<IReadOnlyList<string>> Txt { get; init; } = [];

        public void Answer(params SrvRecord[] records) => _answer = records;

        public Task<IReadOnlyList<SrvRecord>> ResolveSrvAsync(string name, CancellationToken cancellationToken)
        {
            Assert.Equal($"_mongodb._tcp.cluster0.{Domain}", name);
            Interlocked.Increment(ref _queries);
            return Failure is { } failure ? Task.FromException<IReadOnlyList<SrvRecord>>(failure) : Task.FromResult(_answer);
        }

        public Task<IReadOnlyList<IReadOnlyList<string>>> ResolveTxtAsync(string name, CancellationToken cancellationToken) =>
            Task.FromResult(Txt);
    }

    /// <summary>Test mongos routers and the SRV records that name them (<c>r{i}.mongo.example.test:port</c>).</summary>
    private sealed class Routers(MongoTestShardedCluster cluster) : IAsyncDisposable
    {
        public MongoTestShardedCluster Cluster => cluster;

        public int Port(int i) => int.Parse(cluster.Addresses[i].Split(':')[1], CultureInfo.InvariantCulture);

        public SrvRecord Record(int i) => new($"r{i}.{Domain}", Port(i));

        public MongoServerAddress Address(int i) => new($"r{i}.{Domain}", Port(i));

        public ValueTask DisposeAsync() => cluster.DisposeAsync();
    }

    private static async Task<Routers> StartRoutersAsync(int count) =>
        new(await MongoTestShardedCluster.StartAsync(new TestServerOptions { RequireAuthentication = false }, count, default));

    /// <summary>Only names under the test domain resolve, and only to loopback.</summary>
    private static IPAddress[] Loopback(string host) =>
        host.EndsWith("." + Domain, StringComparison.OrdinalIgnoreCase) ? new[] { IPAddress.Loopback } : throw new SocketException((int)SocketError.HostNotFound);

    private static MongoClientSettings Settings(ChangingDns dns, string options = "") =>
        MongoClientSettings.FromConnectionString($"mongodb+srv://cluster0.{Domain}/?tls=false{options}") with
        {
            DnsResolver = dns,
            HostAddressResolver = Loopback,
            MinSrvRescanInterval = TimeSpan.FromMilliseconds(100),
            HeartbeatFrequency = TimeSpan.FromMilliseconds(500),
            ServerSelectionTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };

    /// <summary>A ping on the server selection picks; returns the server that answered.</summary>
    private static Task<MongoServerAddress> PingAsync(MongoClient client, Mode mode) =>
        ReplicaSetHarness.InMode(mode, context => client.Cluster.ExecuteAsync(async (connection, c) =>
        {
            await connection.RunCommandAsync("admin", new BsonDocument("ping", 1), c).ConfigureAwait(false);
            return connection.Server;
        }, context));

    private static Task<TopologyDescription> WaitForHostsAsync(MongoClient client, params MongoServerAddress[] hosts) =>
        ReplicaSetHarness.WaitForAsync(client, t =>
            t.Servers.Count == hosts.Length && hosts.All(h => t.Servers.TryGetValue(h, out var s) && s.Type == ServerType.Mongos));

    /// <summary>Waits until the client has asked DNS <paramref name="more"/> more times than <paramref name="since"/>.</summary>
    private static async Task WaitForQueriesAsync(ChangingDns dns, int since, int more)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (dns.SrvQueries < since + more)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {dns.SrvQueries - since} rescans happened");
            await Task.Delay(20);
        }
    }

    [Theory, BothModes]
    public async Task The_topology_follows_a_changed_answer_and_operations_use_only_the_current_hosts(Mode mode)
    {
        await using var routers = await StartRoutersAsync(3);
        var dns = new ChangingDns();
        dns.Answer(routers.Record(0), routers.Record(1));
        var topologyEvents = new ConcurrentQueue<TopologyEvent>();
        var poolEvents = new ConcurrentQueue<ConnectionPoolEvent>();
        var log = new ListLogger();
        await using var client = new MongoClient(Settings(dns) with
        {
            TopologyEventHandler = topologyEvents.Enqueue,
            ConnectionPoolEventHandler = poolEvents.Enqueue,
            LoggerFactory = new ListLoggerFactory(log),
        });

        Assert.Contains(await PingAsync(client, mode), new[] { routers.Address(0), routers.Address(1) });
        Assert.Equal(TopologyType.Sharded, (await WaitForHostsAsync(client, routers.Address(0), routers.Address(1))).Type);
        // Every server gets a pool (and so connections) before the change: ExecuteOnServer reaches r0 for sure.
        await ReplicaSetHarness.InMode(mode, context => client.Cluster.ExecuteOnServerAsync(routers.Address(0),
            (connection, c) => connection.RunCommandAsync("admin", new BsonDocument("ping", 1), c), context));

        dns.Answer(routers.Record(1), routers.Record(2)); // r0 removed, r2 added
        var topology = await WaitForHostsAsync(client, routers.Address(1), routers.Address(2));

        Assert.Equal(TopologyType.Sharded, topology.Type);
        var pingsOnRemoved = routers.Cluster.Router(0)!.Statistics.CommandsReceived("ping");
        var answered = new List<MongoServerAddress>();
        for (var i = 0; i < 20; i++)
        {
            answered.Add(await PingAsync(client, mode));
        }

        Assert.All(answered, a => Assert.Contains(a, new[] { routers.Address(1), routers.Address(2) }));
        Assert.Contains(routers.Address(2), answered); // the new host is used (20 random picks between two)
        Assert.Equal(pingsOnRemoved, routers.Cluster.Router(0)!.Statistics.CommandsReceived("ping"));
        // The change was announced: one topology event shows r0 leaving and r2 joining (as Unknown) at once.
        Assert.Contains(topologyEvents, e => e is TopologyDescriptionChangedEvent c &&
            c.Previous.Servers.ContainsKey(routers.Address(0)) && !c.New.Servers.ContainsKey(routers.Address(0)) &&
            c.New.Servers.TryGetValue(routers.Address(2), out var added) && added.Type == ServerType.Unknown);
        // The removed host's pool was closed (its monitor is stopped in the same step).
        await WaitUntilAsync(() => poolEvents.Any(e => e is PoolClosedEvent { Server: var s } && s == routers.Address(0)), "r0's pool was not closed");
        await WaitUntilAsync(() => log.Entries.Any(e => e.EventId.Id == LogEventIds.SrvHostsChanged), "the host change was not logged");
        var changed = Assert.Single(log.Entries, e => e.EventId.Id == LogEventIds.SrvHostsChanged);
        Assert.Equal(LogLevel.Information, changed.Level);
        Assert.Contains(routers.Address(2).ToString(), changed.Value("Added")!.ToString()!, StringComparison.Ordinal);
        Assert.Contains(routers.Address(0).ToString(), changed.Value("Removed")!.ToString()!, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task A_failed_or_empty_rescan_keeps_the_hosts_and_a_later_answer_still_applies(Mode mode)
    {
        await using var routers = await StartRoutersAsync(3);
        var dns = new ChangingDns();
        dns.Answer(routers.Record(0), routers.Record(1));
        var log = new ListLogger();
        await using var client = new MongoClient(Settings(dns) with { LoggerFactory = new ListLoggerFactory(log) });
        await PingAsync(client, mode);
        await WaitForHostsAsync(client, routers.Address(0), routers.Address(1));

        dns.Failure = new SocketException((int)SocketError.TryAgain); // the name server does not answer
        await WaitForQueriesAsync(dns, dns.SrvQueries, 1);
        dns.Failure = null;
        dns.Answer(); // no records at all
        await WaitForQueriesAsync(dns, dns.SrvQueries, 1);
        dns.Answer(new SrvRecord("r2.elsewhere.test", routers.Port(2))); // only a record outside the domain
        await WaitForQueriesAsync(dns, dns.SrvQueries, 1);

        // The query is counted when it is asked; what the rescan logs of its answer comes just after.
        await WaitUntilAsync(() => log.Entries.Any(e => e.EventId.Id == LogEventIds.SrvRecordIgnored), "the out-of-domain record was not logged");
        Assert.Equal(2, client.Topology!.Servers.Count);
        Assert.True(client.Topology.Servers.ContainsKey(routers.Address(0)) && client.Topology.Servers.ContainsKey(routers.Address(1)));
        Assert.Contains(await PingAsync(client, mode), new[] { routers.Address(0), routers.Address(1) });
        var failures = log.Entries.Where(e => e.EventId.Id == LogEventIds.SrvRescanFailed).ToList();
        Assert.Contains(failures, e => e.Message.Contains("_mongodb._tcp.cluster0.mongo.example.test", StringComparison.Ordinal) &&
            ((string)e.Value("Reason")!).Contains("DNS lookup", StringComparison.Ordinal) && e.Value("NextMs") is 500L);
        Assert.Contains(failures, e => (string)e.Value("Reason")! == "no SRV records");
        Assert.Contains(log.Entries, e => e.EventId.Id == LogEventIds.SrvRecordIgnored && e.Message.Contains("r2.elsewhere.test", StringComparison.Ordinal));

        dns.Answer(routers.Record(0), routers.Record(1), routers.Record(2)); // DNS is back with one more host
        await WaitForHostsAsync(client, routers.Address(0), routers.Address(1), routers.Address(2));
    }

    [Theory, BothModes]
    public async Task SrvMaxHosts_keeps_the_hosts_still_listed_and_fills_up_with_new_ones(Mode mode)
    {
        await using var routers = await StartRoutersAsync(4);
        var dns = new ChangingDns();
        dns.Answer(routers.Record(0), routers.Record(1));
        await using var client = new MongoClient(Settings(dns, "&srvMaxHosts=2"));
        await PingAsync(client, mode);
        await WaitForHostsAsync(client, routers.Address(0), routers.Address(1));

        // A third host appears: the topology is full, nothing changes.
        dns.Answer(routers.Record(0), routers.Record(1), routers.Record(2));
        await WaitForQueriesAsync(dns, dns.SrvQueries, 2);
        Assert.Equal(new[] { routers.Address(0), routers.Address(1) }.OrderBy(a => a.Port), client.Topology!.Servers.Keys.OrderBy(a => a.Port));

        // r0 goes: r1 stays, one of r2 and r3 (picked at random) takes its place.
        dns.Answer(routers.Record(1), routers.Record(2), routers.Record(3));
        var topology = await ReplicaSetHarness.WaitForAsync(client, t => !t.Servers.ContainsKey(routers.Address(0)) &&
            t.Servers.Count == 2 && t.Servers.Values.All(s => s.Type == ServerType.Mongos));

        Assert.Contains(routers.Address(1), topology.Servers.Keys);
        Assert.Single(topology.Servers.Keys, a => a == routers.Address(2) || a == routers.Address(3));
        Assert.Contains(await PingAsync(client, mode), topology.Servers.Keys);
    }

    [Theory, BothModes]
    public async Task A_replica_set_behind_srv_is_not_polled(Mode mode)
    {
        await using var set = await ReplicaSetHarness.StartAsync(members: 2);
        var port = int.Parse(set.Addresses[0].Split(':')[1], CultureInfo.InvariantCulture);
        var dns = new ChangingDns();
        dns.Answer(new SrvRecord($"r0.{Domain}", port));
        await using var client = new MongoClient(Settings(dns));

        await PingAsync(client, mode);
        var topology = await ReplicaSetHarness.WaitForAsync(client, t => t.Type == TopologyType.ReplicaSetWithPrimary);
        var queries = dns.SrvQueries;
        dns.Answer(new SrvRecord($"r0.{Domain}", port), new SrvRecord($"r9.{Domain}", 1));
        await Task.Delay(600); // six rescan intervals

        // At most a rescan that started before discovery found the set; none after it, and the answer is not applied.
        Assert.InRange(dns.SrvQueries - queries, 0, 1);
        Assert.DoesNotContain(client.Topology!.Servers.Keys, a => a.Host.StartsWith("r9.", StringComparison.Ordinal));
        Assert.Equal(topology.Servers.Keys.Select(a => a.ToString()).Order(), client.Topology.Servers.Keys.Select(a => a.ToString()).Order());
        await PingAsync(client, mode);
    }

    [Theory, BothModes]
    public async Task A_load_balanced_srv_client_is_not_polled(Mode mode)
    {
        await using var balancer = await MongoTestLoadBalancer.StartAsync(new TestServerOptions { RequireAuthentication = false });
        var dns = new ChangingDns { Txt = [["loadBalanced=true"]] };
        dns.Answer(new SrvRecord($"lb.{Domain}", balancer.Server.Port));
        await using var client = new MongoClient(Settings(dns));

        await client.PingIn(mode);
        // Load-balanced mode came from the TXT record: cursors are pinned to their connection as in any load-balanced client.
        var items = client.GetDatabase("app").GetCollection<BsonDocument>("items");
        await items.InsertManyAsync(Enumerable.Range(0, 5).Select(i => new BsonDocument("_id", i)));
        var options = new FindOptions<BsonDocument> { BatchSize = 2 };
        using (var cursor = await mode.Run(() => items.FindSync(FilterDefinition<BsonDocument>.Empty, options), () => items.FindAsync(FilterDefinition<BsonDocument>.Empty, options)))
        {
            Assert.Equal(1, client.Cluster.PinnedConnections);
        }
        await Task.Delay(500); // five rescan intervals

        Assert.Equal(TopologyType.LoadBalanced, client.Topology!.Type);
        Assert.Equal(1, dns.SrvQueries);
        Assert.Equal(0, client.Cluster.SrvRescans);
    }

    [Theory, BothModes]
    public async Task Disposing_the_client_stops_polling(Mode mode)
    {
        await using var routers = await StartRoutersAsync(1);
        var dns = new ChangingDns();
        dns.Answer(routers.Record(0));
        var client = new MongoClient(Settings(dns));
        await PingAsync(client, mode);
        await WaitForQueriesAsync(dns, 1, 2); // the initial resolution and two rescans

        await client.DisposeAsync();
        var queries = dns.SrvQueries;
        await Task.Delay(500); // five rescan intervals

        Assert.Equal(queries, dns.SrvQueries);
        Assert.True(client.Cluster.IsDisposed);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(20);
        }
    }
}
