using MongoAuth.Tests.Support;
using MongoDB.Bson;

namespace MongoAuth.Tests.Data;

/// <summary>
/// Closing a client ends its pooled server sessions (driver-sessions spec, "When a MongoClient is closed"):
/// <c>endSessions</c> with every pooled <c>lsid</c>, at most 10,000 per command, errors ignored.
/// </summary>
public sealed class EndSessionsTests
{
    [Theory, BothModes]
    public async Task Closing_the_client_ends_every_pooled_session(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        var client = DataServer.Connect(server);
        var people = await DataServer.SeededPeopleAsync(client);
        // An open cursor holds one session while a count takes a second: two sessions in the pool afterwards.
        var cursor = await people.FindAsync(FilterDefinition<BsonDocument>.Empty, new FindOptions<BsonDocument> { BatchSize = 2 });
        await people.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty);
        cursor.Dispose();
        var used = new HashSet<BsonValue> { server.Statistics.LastCommand("find")!.Command["lsid"], server.Statistics.LastCommand("aggregate")!.Command["lsid"] };
        Assert.Equal(2, used.Count);

        await mode.Run(client.Dispose, () => client.DisposeAsync().AsTask());

        Assert.Equal(1, server.Statistics.CommandsReceived("endSessions"));
        var ended = server.Statistics.LastCommand("endSessions")!.Command["endSessions"].AsBsonArray;
        Assert.Equal(used, ended.ToHashSet());
        Assert.Equal(0, client.Sessions.Count);
    }

    [Theory, BothModes]
    public async Task More_than_ten_thousand_sessions_are_ended_in_batches_of_at_most_ten_thousand(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        var client = DataServer.Connect(server);
        await client.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1));
        // Sessions as concurrent operations would leave them, without running 10,001 operations at once.
        var sessions = Enumerable.Range(0, MongoClient.EndSessionsBatchSize + 1).Select(_ => client.Sessions.Acquire(30)).ToList();
        foreach (var session in sessions)
        {
            client.Sessions.Release(session, 30);
        }

        await mode.Run(client.Dispose, () => client.DisposeAsync().AsTask());

        Assert.Equal(2, server.Statistics.CommandsReceived("endSessions"));
        Assert.Single(server.Statistics.LastCommand("endSessions")!.Command["endSessions"].AsBsonArray);
    }

    [Theory, BothModes]
    public async Task A_server_that_is_gone_does_not_make_closing_fail(Mode mode)
    {
        var server = await DataServer.StartAsync();
        var client = DataServer.Connect(server);
        await client.GetDatabase("app").GetCollection<BsonDocument>("people").InsertManyAsync(DataServer.People());
        Assert.Equal(1, client.Sessions.Count);
        await server.DisposeAsync();

        await mode.Run(client.Dispose, () => client.DisposeAsync().AsTask());

        Assert.Equal(0, client.Sessions.Count);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1)));
    }

    [Fact]
    public async Task A_client_that_never_used_a_session_sends_nothing()
    {
        await using var server = await DataServer.StartAsync();
        var client = DataServer.Connect(server);
        // connectionStatus is the client's own command and takes no session (RunCommand would).
        await client.GetConnectionStatusAsync();
        Assert.Equal(0, client.Sessions.Created);

        await client.DisposeAsync();

        Assert.Equal(0, server.Statistics.CommandsReceived("endSessions"));
    }
}
