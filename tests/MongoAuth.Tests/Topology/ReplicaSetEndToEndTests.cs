using System.Diagnostics;
using MongoAuth.Tests.Support;
using MongoAuth.Topology;
using MongoDB.Bson;
using static MongoAuth.Tests.Topology.ReplicaSetHarness;

namespace MongoAuth.Tests.Topology;

/// <summary>Our client against the test server's replica set: discovery, failover, read preference, rediscovery, selection timeouts.</summary>
public sealed class ReplicaSetEndToEndTests
{
    [Theory, BothModes]
    public async Task The_client_discovers_the_set_from_one_seed_and_names_its_primary_and_secondaries(Mode mode)
    {
        await using var set = await StartAsync(members: 3);
        // One seed, no replicaSet option: the handshake shows a replica-set member, and discovery takes over.
        var seed = Address(set.Addresses[1]);
        await using var client = new MongoClient(Settings(set) with { Servers = [seed], ReplicaSetName = null });

        await client.PingIn(mode);
        var topology = await WaitForAsync(client, t => t.Servers.Count == 3 && t.Servers.Values.All(s => s.IsKnown));

        Assert.Equal(TopologyType.ReplicaSetWithPrimary, topology.Type);
        Assert.Equal("rs0", topology.SetName);
        Assert.Equal(Address(set.Addresses[0]), topology.Primary!.Address);
        Assert.Equal(2, topology.Servers.Values.Count(s => s.Type == ServerType.RSSecondary));
        Assert.All(topology.Servers.Values, s => Assert.NotNull(s.RoundTripTime));
    }

    [Theory, BothModes]
    public async Task Writes_across_step_downs_all_succeed_once_each(Mode mode)
    {
        await using var set = await StartAsync(members: 3);
        await using var client = new MongoClient(Settings(set));
        var lsid = NewSession();
        const int writes = 120;
        var failed = 0;
        for (var i = 0; i < writes; i++)
        {
            if (i is 30 or 80)
            {
                // The primary steps down; the next one is elected 200 ms later (no primary meanwhile).
                set.StepDown(TimeSpan.FromMilliseconds(200));
            }

            try
            {
                var reply = await InsertAsync(client, mode, lsid, i + 1, new BsonDocument("_id", i));
                Assert.Equal(1, reply["n"].ToInt32());
            }
            catch (MongoException)
            {
                failed++;
            }
        }

        Assert.Equal(0, failed);
        var count = await client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("count", "items"));
        Assert.Equal(writes, count["n"].ToInt32()); // every write landed exactly once
        Assert.NotEqual(0, set.PrimaryIndex);
    }

    [Theory, BothModes]
    public async Task A_retried_write_with_the_same_txnNumber_returns_the_first_result_and_writes_once(Mode mode)
    {
        await using var set = await StartAsync(members: 2);
        await using var client = new MongoClient(Settings(set));
        var lsid = NewSession();

        await InsertAsync(client, mode, lsid, 7, new BsonDocument("_id", "a"));
        // The same txnNumber again (a retry after a lost reply): not a duplicate-key error, the first reply.
        var again = await InsertAsync(client, mode, lsid, 7, new BsonDocument("_id", "a"));

        Assert.Equal(1, again["n"].ToInt32());
        Assert.False(again.Contains("writeErrors"));
    }

    [Theory, BothModes]
    public async Task Secondary_reads_land_on_secondaries(Mode mode)
    {
        await using var set = await StartAsync(members: 3);
        await using var client = new MongoClient(Settings(set) with { ReadPreference = ReadPreference.Secondary });
        var primary = Address(set.Addresses[0]);

        for (var i = 0; i < 20; i++)
        {
            var server = await FindAsync(client, mode);
            Assert.NotEqual(primary, server);
            Assert.Contains(server.ToString(), set.Addresses);
        }
    }

    [Theory, BothModes]
    public async Task Tag_sets_pick_the_tagged_secondary(Mode mode)
    {
        await using var set = await StartAsync(members: 3, tags: [new Dictionary<string, string>(), new Dictionary<string, string> { ["dc"] = "east" }, new Dictionary<string, string> { ["dc"] = "west" }]);
        var preference = ReadPreference.Secondary with { TagSets = [new Dictionary<string, string> { ["dc"] = "west" }] };
        await using var client = new MongoClient(Settings(set) with { ReadPreference = preference });

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(Address(set.Addresses[2]), await FindAsync(client, mode));
        }
    }

    [Theory, BothModes]
    public async Task A_secondary_refuses_a_direct_write_with_NotWritablePrimary(Mode mode)
    {
        await using var set = await StartAsync(members: 2);
        await using var client = new MongoClient(Settings(set) with { Servers = [Address(set.Addresses[1])], ReplicaSetName = null, DirectConnection = true, RetryWrites = false });

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => InsertAsync(client, mode, NewSession(), 1, new BsonDocument("_id", 1)));

        Assert.Equal(10107, error.Code);
        Assert.Equal("RetryableWriteError", Assert.Single(error.Reply!["errorLabels"].AsBsonArray).AsString); // as mongod 4.4+ labels it
        // A read on the direct connection carries primaryPreferred, so the secondary serves it.
        Assert.Equal(Address(set.Addresses[1]), await FindAsync(client, mode));
    }

    [Theory, BothModes]
    public async Task A_stopped_member_becomes_Unknown_and_is_rediscovered_when_it_restarts(Mode mode)
    {
        await using var set = await StartAsync(members: 3);
        await using var client = new MongoClient(Settings(set));
        await client.PingIn(mode);
        var member = Address(set.Addresses[2]);
        await WaitForAsync(client, t => t.Servers.TryGetValue(member, out var s) && s.Type == ServerType.RSSecondary);

        await set.StopMemberAsync(2);
        var down = await WaitForAsync(client, t => t.Servers[member].Type == ServerType.Unknown);
        Assert.NotNull(down.Servers[member].Error);
        await client.PingIn(mode); // the rest of the set still works

        await set.RestartMemberAsync(2, default);
        await WaitForAsync(client, t => t.Servers[member].Type == ServerType.RSSecondary);
        var reads = new MongoClient(Settings(set) with { ReadPreference = ReadPreference.Secondary with { TagSets = [] } });
        await using (reads)
        {
            var seen = new HashSet<MongoServerAddress>();
            for (var i = 0; i < 30 && !seen.Contains(member); i++)
            {
                seen.Add(await FindAsync(reads, mode));
            }

            Assert.Contains(member, seen);
        }
    }

    [Theory, BothModes]
    public async Task Without_a_primary_a_write_waits_serverSelectionTimeoutMS_then_fails_showing_the_topology(Mode mode)
    {
        await using var set = await StartAsync(members: 2);
        await using var client = new MongoClient(Settings(set, serverSelectionTimeout: TimeSpan.FromSeconds(1)));
        await client.PingIn(mode);
        set.StepDown(TimeSpan.FromMinutes(5)); // no primary for the rest of the test
        // Once the monitors saw it (a write to the old primary would fail with its NotWritablePrimary instead: when
        // the retry finds no server, the first error is the one reported, as the retryable-writes rules say).
        await WaitForAsync(client, t => t.Type == TopologyType.ReplicaSetNoPrimary);

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<MongoServerSelectionException>(() => InsertAsync(client, mode, NewSession(), 1, new BsonDocument("_id", 1)));

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"it gave up after {watch.Elapsed}");
        Assert.Contains("serverSelectionTimeoutMS (1000 ms)", error.Message);
        Assert.Contains("ReplicaSetNoPrimary (set rs0)", error.Message);
        Assert.Contains($"{set.Addresses[0]} (RSSecondary", error.Message);
        Assert.Contains($"{set.Addresses[1]} (RSSecondary", error.Message);
    }

    [Theory, BothModes]
    public async Task A_write_waiting_for_an_election_succeeds_when_the_new_primary_appears(Mode mode)
    {
        await using var set = await StartAsync(members: 2);
        await using var client = new MongoClient(Settings(set, serverSelectionTimeout: TimeSpan.FromSeconds(10)));
        await client.PingIn(mode);
        set.StepDown(TimeSpan.FromSeconds(1));

        var reply = await InsertAsync(client, mode, NewSession(), 1, new BsonDocument("_id", 1));

        Assert.Equal(1, reply["n"].ToInt32());
        Assert.Equal(Address(set.Addresses[1]), client.Topology!.Primary!.Address);
    }

    [Theory, BothModes]
    public async Task Hidden_members_and_arbiters_are_never_selected_and_the_hidden_one_is_not_discovered(Mode mode)
    {
        await using var set = await StartAsync(members: 3, hidden: 1, arbiter: true);
        await using var client = new MongoClient(Settings(set) with { ReadPreference = ReadPreference.Secondary });
        var hidden = Address(set.Addresses[2]);
        var arbiter = Address(set.Addresses[3]);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(Address(set.Addresses[1]), await FindAsync(client, mode));
        }

        var topology = await WaitForAsync(client, t => t.Servers.TryGetValue(arbiter, out var a) && a.Type == ServerType.RSArbiter);
        Assert.False(topology.Servers.ContainsKey(hidden));
    }
}
