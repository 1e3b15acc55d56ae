using MongoAuth.Tests.Support;
using MongoAuth.TestServer.FailPoints;
using MongoDB.Bson;

namespace MongoAuth.Tests.Data;

/// <summary>
/// Cursors against the test server: getMore as the application iterates, killCursors when it stops early, and no
/// cursor left open on the server after an error (asserted on the server's own cursor table).
/// </summary>
public sealed class CursorTests
{
    private static async Task<IMongoCollection<BsonDocument>> NumbersAsync(MongoClient client, int count)
    {
        var numbers = client.GetDatabase("app").GetCollection<BsonDocument>("numbers");
        await numbers.InsertManyAsync(Enumerable.Range(0, count).Select(i => new BsonDocument { { "_id", i }, { "n", i * 2 } }));
        return numbers;
    }

    /// <summary>Opens a cursor over all of <paramref name="numbers"/> through the API of <paramref name="mode"/>.</summary>
    private static Task<IAsyncCursor<BsonDocument>> OpenAsync(Mode mode, IMongoCollection<BsonDocument> numbers, int batchSize)
    {
        var options = new FindOptions<BsonDocument> { BatchSize = batchSize };
        return mode.Run(() => numbers.FindSync(FilterDefinition<BsonDocument>.Empty, options),
            () => numbers.FindAsync(FilterDefinition<BsonDocument>.Empty, options));
    }

    /// <summary>
    /// The <c>_id</c>s of the first <paramref name="count"/> documents, leaving the loop there: in async mode the
    /// enumerator <c>await foreach</c> binds to (the GetAsyncEnumerator extension), disposed as the loop's end
    /// disposes it; in sync mode a <c>foreach</c> over the synchronous enumeration.
    /// </summary>
    private static async Task<List<int>> TakeThenBreakAsync(Mode mode, Func<IAsyncEnumerator<BsonDocument>> asynchronous,
        Func<IEnumerable<BsonDocument>> sync, int count)
    {
        var seen = new List<int>();
        if (mode == Mode.Async)
        {
            await using var documents = asynchronous();
            while (seen.Count < count && await documents.MoveNextAsync())
            {
                seen.Add(documents.Current["_id"].AsInt32);
            }

            return seen;
        }

        foreach (var document in sync())
        {
            seen.Add(document["_id"].AsInt32);
            if (seen.Count == count)
            {
                break;
            }
        }

        return seen;
    }

    [Theory, BothModes]
    public async Task A_small_batch_size_reads_through_getMore_batches_and_leaves_nothing_open(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var numbers = await NumbersAsync(client, 23);

        var all = await mode.Run(() => numbers.Find(FilterDefinition<BsonDocument>.Empty, new FindOptions { BatchSize = 5 }).ToList(),
            () => numbers.Find(FilterDefinition<BsonDocument>.Empty, new FindOptions { BatchSize = 5 }).ToListAsync());

        Assert.Equal(Enumerable.Range(0, 23), all.Select(d => d["_id"].AsInt32));
        Assert.Equal(4, server.Statistics.CommandsReceived("getMore")); // 5 + 5×4, the last batch ends the cursor
        Assert.Equal(5, server.Statistics.LastCommand("getMore")!.Command["batchSize"].AsInt32);
        Assert.Equal(0, server.Statistics.CommandsReceived("killCursors"));
        Assert.Equal(0, server.OpenCursorCount);
    }

    [Theory, BothModes]
    public async Task Batches_arrive_one_getMore_at_a_time_as_the_application_asks(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var numbers = await NumbersAsync(client, 10);

        using var cursor = await OpenAsync(mode, numbers, batchSize: 4);
        var sizes = new List<(int Batch, int GetMores)>();
        while (await mode.Run(() => cursor.MoveNext(), () => cursor.MoveNextAsync()))
        {
            sizes.Add((cursor.Current.Count(), server.Statistics.CommandsReceived("getMore")));
        }

        Assert.Equal([(4, 0), (4, 1), (2, 2)], sizes);
        Assert.Equal(0, server.OpenCursorCount);
    }

    [Theory, BothModes]
    public async Task Stopping_early_kills_the_cursor_on_the_server(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var numbers = await NumbersAsync(client, 10);

        var cursor = await OpenAsync(mode, numbers, batchSize: 3);
        Assert.True(await mode.Run(() => cursor.MoveNext(), () => cursor.MoveNextAsync()));
        Assert.Equal(1, server.OpenCursorCount);
        cursor.Dispose();

        // Killed before Dispose returns (synchronously, on the server that owns the cursor).
        Assert.Equal(0, server.OpenCursorCount);
        var kill = server.Statistics.LastCommand("killCursors")!.Command;
        Assert.Equal("numbers", kill["killCursors"].AsString);
        Assert.Single(kill["cursors"].AsBsonArray);
        cursor.Dispose();
        Assert.Equal(1, server.Statistics.CommandsReceived("killCursors"));
    }

    [Theory, BothModes]
    public async Task Leaving_a_foreach_early_kills_the_cursor(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var numbers = await NumbersAsync(client, 10);
        var find = numbers.Find(FilterDefinition<BsonDocument>.Empty, new FindOptions { BatchSize = 2 });

        var seen = await TakeThenBreakAsync(mode, () => find.GetAsyncEnumerator(), () => find.ToEnumerable(), 3);

        Assert.Equal([0, 1, 2], seen);
        Assert.Equal(1, server.Statistics.CommandsReceived("getMore"));
        Assert.Equal(1, server.Statistics.CommandsReceived("killCursors"));
        Assert.Equal(0, server.OpenCursorCount);
    }

    [Theory, BothModes]
    public async Task A_cursor_itself_is_enumerable_and_breaking_out_kills_it(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var numbers = await NumbersAsync(client, 10);
        var cursor = await OpenAsync(mode, numbers, batchSize: 2);

        // Each form's own cursor, left at the fifth document, in the middle of the third batch.
        var seen = await TakeThenBreakAsync(mode, () => cursor.GetAsyncEnumerator(), () => cursor.ToEnumerable(), 5);

        Assert.Equal([0, 1, 2, 3, 4], seen);
        Assert.Equal(2, server.Statistics.CommandsReceived("getMore"));
        Assert.Equal(1, server.Statistics.CommandsReceived("killCursors"));
        Assert.Equal(0, server.OpenCursorCount);
        cursor.Dispose(); // already closed by the loop: nothing more is sent
        Assert.Equal(1, server.Statistics.CommandsReceived("killCursors"));
    }

    [Fact]
    public async Task Await_foreach_over_a_cursor_kills_it_only_when_left_early_and_honours_cancellation()
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var numbers = await NumbersAsync(client, 7);
        var options = new FindOptions<BsonDocument> { BatchSize = 3 };
        var all = new List<int>();

        await foreach (var document in await numbers.FindAsync(FilterDefinition<BsonDocument>.Empty, options))
        {
            all.Add(document["_id"].AsInt32);
        }

        var killsAfterFullRead = server.Statistics.CommandsReceived("killCursors");
        await foreach (var document in await numbers.FindAsync(FilterDefinition<BsonDocument>.Empty, options))
        {
            if (document["_id"].AsInt32 == 1)
            {
                break;
            }
        }

        var killsAfterBreak = server.Statistics.CommandsReceived("killCursors");
        using var cancel = new CancellationTokenSource();
        var partial = new List<int>();
        var cancelled = await numbers.FindAsync(FilterDefinition<BsonDocument>.Empty, options);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var document in cancelled.ToAsyncEnumerable(cancel.Token))
            {
                partial.Add(document["_id"].AsInt32);
                if (partial.Count == 4)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        Assert.Equal(Enumerable.Range(0, 7), all);
        Assert.Equal((0, 1), (killsAfterFullRead, killsAfterBreak));
        Assert.Equal([0, 1, 2, 3, 4, 5], partial); // the token is checked when the next batch is needed, not per document
        Assert.Equal(2, server.Statistics.CommandsReceived("killCursors"));
        Assert.Equal(0, server.OpenCursorCount);
    }

    [Theory, BothModes]
    public async Task An_exception_in_the_application_s_loop_still_kills_the_cursor(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var numbers = await NumbersAsync(client, 10);
        var cursor = await OpenAsync(mode, numbers, batchSize: 2);

        await Assert.ThrowsAsync<InvalidOperationException>(() => mode.Run(
            () => cursor.ForEachAsync(d => throw new InvalidOperationException("application bug")).GetAwaiter().GetResult(),
            () => cursor.ForEachAsync(d => throw new InvalidOperationException("application bug"))));

        Assert.Equal(0, server.OpenCursorCount);
        Assert.Equal(1, server.Statistics.CommandsReceived("killCursors"));
    }

    [Theory, BothModes]
    public async Task A_failed_getMore_kills_the_cursor_and_reaches_the_caller(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var numbers = await NumbersAsync(client, 10);
        var cursor = await OpenAsync(mode, numbers, batchSize: 2);
        Assert.True(await mode.Run(() => cursor.MoveNext(), () => cursor.MoveNextAsync()));
        server.ConfigureFailPoint(new FailCommand { Commands = ["getMore"], ErrorCode = 6, Times = 1 }); // HostUnreachable

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => mode.Run(() => cursor.MoveNext(), () => cursor.MoveNextAsync()));

        Assert.Equal(6, error.Code);
        Assert.Equal(0, server.OpenCursorCount);
        Assert.Equal(1, server.Statistics.CommandsReceived("killCursors"));
        Assert.False(await mode.Run(() => cursor.MoveNext(), () => cursor.MoveNextAsync()));
        cursor.Dispose();
        Assert.Equal(1, server.Statistics.CommandsReceived("killCursors"));
    }

    [Theory, BothModes]
    public async Task A_limit_caps_what_getMore_asks_for(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var numbers = await NumbersAsync(client, 20);

        var seven = await mode.Run(() => numbers.Find(FilterDefinition<BsonDocument>.Empty, new FindOptions { BatchSize = 3 }).Limit(7).ToList(),
            () => numbers.Find(FilterDefinition<BsonDocument>.Empty, new FindOptions { BatchSize = 3 }).Limit(7).ToListAsync());

        Assert.Equal(7, seven.Count);
        Assert.Equal(1, server.Statistics.LastCommand("getMore")!.Command["batchSize"].AsInt32);
        Assert.Equal(0, server.OpenCursorCount);
    }

    [Theory, BothModes]
    public async Task Code_391_on_getMore_reauthenticates_on_the_same_connection_and_continues(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var numbers = await NumbersAsync(client, 6);
        var cursor = await OpenAsync(mode, numbers, batchSize: 3);
        Assert.True(await mode.Run(() => cursor.MoveNext(), () => cursor.MoveNextAsync()));
        var connections = server.Statistics.ConnectionsAccepted;
        var saslStarts = server.Statistics.CommandsReceived("saslStart");
        server.ConfigureFailPoint(new FailCommand { Commands = ["getMore"], ErrorCode = 391, Times = 1 });

        Assert.True(await mode.Run(() => cursor.MoveNext(), () => cursor.MoveNextAsync()));

        Assert.Equal([3, 4, 5], cursor.Current.Select(d => d["_id"].AsInt32));
        Assert.Equal(2, server.Statistics.CommandsReceived("getMore"));
        Assert.Equal(saslStarts + 1, server.Statistics.CommandsReceived("saslStart"));
        Assert.Equal(connections, server.Statistics.ConnectionsAccepted);
        cursor.Dispose();
        Assert.Equal(0, server.OpenCursorCount);
    }

    [Theory, BothModes]
    public async Task Aggregate_and_listIndexes_cursors_use_getMore_too(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var numbers = await NumbersAsync(client, 9);
        BsonDocument[] pipeline = [new("$match", new BsonDocument("n", new BsonDocument("$gte", 4)))];

        var matched = await mode.Run(() => numbers.Aggregate<BsonDocument>(pipeline, new AggregateOptions { BatchSize = 2 }).ToList(),
            async () => await (await numbers.AggregateAsync<BsonDocument>(pipeline, new AggregateOptions { BatchSize = 2 })).ToListAsync());

        Assert.Equal([2, 3, 4, 5, 6, 7, 8], matched.Select(d => d["_id"].AsInt32));
        Assert.Equal(3, server.Statistics.CommandsReceived("getMore"));
        Assert.Equal(0, server.OpenCursorCount);
    }
}
