using System.Net;
using MongoAuth.Authentication;
using MongoAuth.Connections;
using MongoAuth.Sessions;
using MongoAuth.Tests.Support;
using MongoAuth.TestServer;
using MongoDB.Bson;

namespace MongoAuth.Tests.Data;

/// <summary>
/// Implicit sessions (driver-sessions spec): an <c>lsid</c> on every data command when the server supports sessions,
/// the same one on a cursor's getMore and killCursors, sessions pooled and reused, none without server support or on
/// unacknowledged writes; <c>txnNumber</c> only where the server accepts retryable writes.
/// </summary>
public sealed class SessionTests
{
    [Theory, BothModes]
    public async Task Sequential_operations_reuse_one_pooled_session(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = client.GetDatabase("app").GetCollection<BsonDocument>("people");

        await mode.Run(() => people.InsertMany(DataServer.People()), () => people.InsertManyAsync(DataServer.People()));
        await mode.Run(() => people.UpdateOne("{ _id: 1 }", "{ $set: { a: 1 } }"), () => people.UpdateOneAsync("{ _id: 1 }", "{ $set: { a: 1 } }"));
        var all = await mode.Run(() => people.Find(FilterDefinition<BsonDocument>.Empty).ToList(), () => people.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync());
        await mode.Run(() => people.DeleteOne("{ _id: 2 }"), () => people.DeleteOneAsync("{ _id: 2 }"));

        Assert.Equal(5, all.Count);
        var lsid = server.Statistics.LastCommand("insert")!.Command["lsid"];
        Assert.Equal(BsonBinarySubType.UuidStandard, lsid["id"].AsBsonBinaryData.SubType);
        foreach (var name in new[] { "update", "find", "delete" })
        {
            Assert.Equal(lsid, server.Statistics.LastCommand(name)!.Command["lsid"]);
        }

        Assert.Equal(1, server.Statistics.SessionIdsSeen);
        Assert.Equal(1, client.Sessions.Created);
        Assert.Equal(1, client.Sessions.Count);
    }

    [Theory, BothModes]
    public async Task A_cursor_keeps_its_session_for_getMore_and_killCursors_and_returns_it_after(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var numbers = client.GetDatabase("app").GetCollection<BsonDocument>("numbers");
        await numbers.InsertManyAsync(Enumerable.Range(0, 10).Select(i => new BsonDocument("_id", i)));
        var options = new FindOptions<BsonDocument> { BatchSize = 3 };

        var cursor = await mode.Run(() => numbers.FindSync(FilterDefinition<BsonDocument>.Empty, options), () => numbers.FindAsync(FilterDefinition<BsonDocument>.Empty, options));
        Assert.Equal(0, client.Sessions.Count); // held by the open cursor
        // Another operation meanwhile needs a session of its own.
        await mode.Run(() => numbers.CountDocuments(FilterDefinition<BsonDocument>.Empty), () => numbers.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
        Assert.True(await mode.Run(() => cursor.MoveNext(), () => cursor.MoveNextAsync()));
        Assert.True(await mode.Run(() => cursor.MoveNext(), () => cursor.MoveNextAsync()));
        cursor.Dispose();

        var findSession = server.Statistics.LastCommand("find")!.Command["lsid"];
        Assert.Equal(findSession, server.Statistics.LastCommand("getMore")!.Command["lsid"]);
        Assert.Equal(findSession, server.Statistics.LastCommand("killCursors")!.Command["lsid"]);
        Assert.NotEqual(findSession, server.Statistics.LastCommand("aggregate")!.Command["lsid"]);
        Assert.Equal(2, client.Sessions.Created);
        Assert.Equal(2, client.Sessions.Count);
    }

    [Theory, BothModes]
    public async Task Without_server_support_no_lsid_is_sent(Mode mode)
    {
        await using var server = await DataServer.StartAsync(new TestServerOptions { LogicalSessionTimeoutMinutes = null });
        await using var client = DataServer.Connect(server);
        var people = client.GetDatabase("app").GetCollection<BsonDocument>("people");

        await mode.Run(() => people.InsertMany(DataServer.People()), () => people.InsertManyAsync(DataServer.People()));
        var count = await mode.Run(() => people.CountDocuments(FilterDefinition<BsonDocument>.Empty), () => people.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));

        Assert.Equal(5, count);
        Assert.False(server.Statistics.LastCommand("insert")!.Command.Contains("lsid"));
        Assert.Equal(0, server.Statistics.SessionIdsSeen);
        Assert.Equal(0, client.Sessions.Created);
    }

    [Theory, BothModes]
    public async Task Unacknowledged_writes_carry_no_session_and_report_no_counts(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = client.GetDatabase("app").GetCollection<BsonDocument>("people").WithWriteConcern(WriteConcern.Unacknowledged);

        var result = await mode.Run(() => people.DeleteMany("{ _id: 1 }"), () => people.DeleteManyAsync("{ _id: 1 }"));

        Assert.False(result.IsAcknowledged);
        // Sent with moreToCome: the call returns once the message is written, maybe before the server has read it.
        Assert.True(SpinWait.SpinUntil(() => server.Statistics.LastCommand("delete") is not null, TimeSpan.FromSeconds(10)));
        var sent = server.Statistics.LastCommand("delete")!.Command;
        Assert.Equal(new BsonDocument("w", 0), sent["writeConcern"]);
        Assert.False(sent.Contains("lsid"));
        Assert.Equal(0, client.Sessions.Created);
    }

    [Theory, BothModes]
    public async Task RunCommand_gets_an_implicit_session_from_the_pool_without_changing_the_application_s_document(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var database = client.GetDatabase("app");
        var command = new BsonDocument("count", "people");

        await database.RunCommandIn(mode, command);
        await database.RunCommandIn(mode, command);

        Assert.Equal(new BsonDocument("count", "people"), command);
        var lsid = server.Statistics.LastCommand("count")!.Command["lsid"];
        Assert.Equal(BsonBinarySubType.UuidStandard, lsid["id"].AsBsonBinaryData.SubType);
        Assert.Equal(1, client.Sessions.Created);
        Assert.Equal(1, client.Sessions.Count);
    }

    [Theory, BothModes]
    public async Task RunCommand_with_its_own_lsid_sends_it_as_given(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var own = new BsonDocument("id", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard));

        await client.GetDatabase("app").RunCommandIn(mode, new BsonDocument { { "count", "people" }, { "lsid", own } });

        Assert.Equal(own, server.Statistics.LastCommand("count")!.Command["lsid"]);
        Assert.Equal(0, client.Sessions.Created);
    }

    [Theory, BothModes]
    public async Task An_unacknowledged_write_goes_with_moreToCome_lands_and_leaves_its_connection_usable(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        // One pooled connection: the acknowledged count below runs on the connection the unacknowledged insert used.
        await using var client = new MongoClient(DataServer.Settings(server) with { MaxPoolSize = 1 });
        var people = client.GetDatabase("app").GetCollection<BsonDocument>("people");
        var unacknowledged = people.WithWriteConcern(WriteConcern.Unacknowledged);

        await mode.Run(() => unacknowledged.InsertMany(DataServer.People()), () => unacknowledged.InsertManyAsync(DataServer.People()));
        var count = await mode.Run(() => people.CountDocuments(FilterDefinition<BsonDocument>.Empty), () => people.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));

        Assert.Equal(5, count);
        Assert.True(server.Statistics.LastCommand("insert")!.MoreToCome);
        Assert.False(server.Statistics.LastCommand("aggregate")!.MoreToCome);
        Assert.Equal(1, server.Statistics.CommandsReceived("insert"));
    }

    [Fact]
    public async Task Concurrent_operations_take_separate_sessions_and_pool_them_afterwards()
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = await DataServer.SeededPeopleAsync(client);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => people.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync())));

        Assert.InRange(client.Sessions.Created, 1, 9);
        Assert.Equal(client.Sessions.Created, client.Sessions.Count);
        Assert.Equal(client.Sessions.Created, server.Statistics.SessionIdsSeen);
    }

    [Fact]
    public async Task Retryable_writes_get_a_txnNumber_only_where_the_server_accepts_one_and_keep_it_on_a_retry()
    {
        var pool = new ServerSessionPool();
        await using var replicaSetMember = Connection(setName: "rs0");
        await using var standalone = Connection(setName: null);

        var session = new ImplicitSession(pool);
        var first = new BsonDocument("insert", "c");
        var retry = new BsonDocument("insert", "c");
        session.Apply(first, replicaSetMember, retryableWrite: true);
        session.Apply(retry, replicaSetMember, retryableWrite: true);
        session.NextStatement();
        var next = new BsonDocument("insert", "c");
        session.Apply(next, replicaSetMember, retryableWrite: true);
        var notRetryable = new BsonDocument("insert", "c");
        session.Apply(notRetryable, replicaSetMember, retryableWrite: false);
        var onStandalone = new BsonDocument("insert", "c");
        session.Apply(onStandalone, standalone, retryableWrite: true);

        Assert.Equal((1L, 1L, 2L), (first["txnNumber"].AsInt64, retry["txnNumber"].AsInt64, next["txnNumber"].AsInt64));
        Assert.False(notRetryable.Contains("txnNumber"));
        Assert.False(onStandalone.Contains("txnNumber"));
        Assert.Equal(first["lsid"], onStandalone["lsid"]);
        session.Release();
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void The_pool_hands_out_the_most_recent_session_and_drops_dirty_and_expiring_ones()
    {
        var pool = new ServerSessionPool();
        var a = pool.Acquire(30);
        var b = pool.Acquire(30);
        pool.Release(a, 30);
        pool.Release(b, 30);
        Assert.Same(b, pool.Acquire(30));

        b.IsDirty = true;
        pool.Release(b, 30);
        Assert.Equal(1, pool.Count);

        a = pool.Acquire(30);
        a.LastUsed = Environment.TickCount64 - TimeSpan.FromMinutes(29.5).Ticks / TimeSpan.TicksPerMillisecond;
        pool.Release(a, 30);
        Assert.Equal(0, pool.Count);
        Assert.NotSame(a, pool.Acquire(30));
    }

    [Fact]
    public void A_session_released_twice_or_after_a_drain_is_pooled_once()
    {
        var pool = new ServerSessionPool();
        var a = pool.Acquire(30);
        pool.Release(a, 30);
        pool.Release(a, 30);
        Assert.Equal(1, pool.Count);
        Assert.Same(a, pool.Acquire(30));
        Assert.Equal(0, pool.Count);

        // Sessions in use when the client drains the pool for endSessions may still come back afterwards.
        var b = pool.Acquire(30);
        pool.Release(b, 30);
        Assert.Single(pool.Drain());
        pool.Release(a, 30);
        pool.Release(b, 30);
        Assert.Equal(2, pool.Count);
        Assert.Same(b, pool.Acquire(30));
        Assert.Same(a, pool.Acquire(30));
    }

    private static Connection Connection(string? setName) =>
        new(new MongoServerAddress("127.0.0.1", 27017), 1, 0, Stream.Null, null, new SaslConversationContext(new DnsEndPoint("127.0.0.1", 27017), false, false))
        {
            Description = new HelloResult(25, 48_000_000, 16 * 1024 * 1024, true, true, null, null) { LogicalSessionTimeoutMinutes = 30, SetName = setName },
        };
}
