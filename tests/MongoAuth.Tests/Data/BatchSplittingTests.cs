using MongoAuth.Tests.Support;
using MongoAuth.TestServer;
using MongoDB.Bson;

namespace MongoAuth.Tests.Data;

/// <summary>
/// Writes are cut into batches by the server's maxWriteBatchSize and maxMessageSizeBytes, each batch one command whose
/// statements travel as an OP_MSG document sequence. Asserted on the wire: the commands the server received, their
/// sequences and sizes (the server refuses larger batches and closes the connection on larger messages, as mongod does).
/// </summary>
public sealed class BatchSplittingTests
{
    [Theory, BothModes]
    public async Task InsertMany_is_split_by_maxWriteBatchSize(Mode mode)
    {
        await using var server = await DataServer.StartAsync(new TestServerOptions { MaxWriteBatchSize = 4 });
        await using var client = DataServer.Connect(server);
        var numbers = client.GetDatabase("app").GetCollection<BsonDocument>("numbers");
        var documents = Enumerable.Range(0, 10).Select(i => new BsonDocument("_id", i)).ToList();

        await mode.Run(() => numbers.InsertMany(documents), () => numbers.InsertManyAsync(documents));

        Assert.Equal(3, server.Statistics.CommandsReceived("insert"));
        var last = server.Statistics.LastCommand("insert")!;
        Assert.Equal(1, last.DocumentSequences);
        Assert.Equal([8, 9], last.Command["documents"].AsBsonArray.Select(d => d["_id"].AsInt32));
        Assert.Equal(10, await numbers.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
    }

    [Theory, BothModes]
    public async Task InsertMany_is_split_by_maxMessageSizeBytes(Mode mode)
    {
        await using var server = await DataServer.StartAsync(new TestServerOptions { MaxMessageSizeBytes = 100_000 });
        await using var client = DataServer.Connect(server);
        var blobs = client.GetDatabase("app").GetCollection<BsonDocument>("blobs");
        // About 30 KB each: three fit a 100,000-byte message, four do not.
        var documents = Enumerable.Range(0, 10).Select(i => new BsonDocument { { "_id", i }, { "data", new string('x', 30_000) } }).ToList();

        await mode.Run(() => blobs.InsertMany(documents), () => blobs.InsertManyAsync(documents));

        Assert.Equal(4, server.Statistics.CommandsReceived("insert"));
        Assert.Single(server.Statistics.LastCommand("insert")!.Command["documents"].AsBsonArray);
        Assert.Equal(10, await blobs.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
    }

    [Theory, BothModes]
    public async Task A_mixed_ordered_bulk_write_sends_one_command_per_run_of_a_kind(Mode mode)
    {
        await using var server = await DataServer.StartAsync(new TestServerOptions { MaxWriteBatchSize = 2 });
        await using var client = DataServer.Connect(server);
        var people = client.GetDatabase("app").GetCollection<BsonDocument>("people");
        WriteModel<BsonDocument>[] requests =
        [
            new InsertOneModel<BsonDocument>(new BsonDocument { { "_id", 1 }, { "n", 1 } }),
            new InsertOneModel<BsonDocument>(new BsonDocument { { "_id", 2 }, { "n", 2 } }),
            new InsertOneModel<BsonDocument>(new BsonDocument { { "_id", 3 }, { "n", 3 } }),
            new UpdateOneModel<BsonDocument>("{ _id: 1 }", "{ $set: { n: 10 } }"),
            new UpdateManyModel<BsonDocument>("{ n: { $lt: 5 } }", "{ $inc: { n: 100 } }"),
            new UpdateOneModel<BsonDocument>("{ _id: 7 }", "{ $set: { n: 7 } }") { IsUpsert = true },
            new ReplaceOneModel<BsonDocument>("{ _id: 3 }", new BsonDocument("n", 33)),
            new DeleteOneModel<BsonDocument>("{ _id: 1 }"),
            new InsertOneModel<BsonDocument>(new BsonDocument { { "_id", 4 }, { "n", 4 } }),
        ];

        var result = await mode.Run(() => people.BulkWrite(requests), () => people.BulkWriteAsync(requests));

        // Runs: 3 inserts (2 batches), 4 updates (2 batches), 1 delete, 1 insert.
        Assert.Equal((3, 2, 1), (server.Statistics.CommandsReceived("insert"), server.Statistics.CommandsReceived("update"),
            server.Statistics.CommandsReceived("delete")));
        Assert.Equal((4L, 4L, 4L, 1L), (result.InsertedCount, result.MatchedCount, result.ModifiedCount, result.DeletedCount));
        Assert.Equal([new BulkWriteUpsert(5, 7)], result.Upserts);
        Assert.Equal(9, result.RequestCount);
        Assert.Equal(
            [new BsonDocument { { "_id", 2 }, { "n", 102 } }, new BsonDocument { { "_id", 3 }, { "n", 33 } },
             new BsonDocument { { "_id", 4 }, { "n", 4 } }, new BsonDocument { { "_id", 7 }, { "n", 7 } }],
            await people.Find(FilterDefinition<BsonDocument>.Empty).Sort("{ _id: 1 }").ToListAsync());
    }

    [Theory, BothModes]
    public async Task An_unordered_bulk_write_groups_requests_by_kind(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = client.GetDatabase("app").GetCollection<BsonDocument>("people");
        WriteModel<BsonDocument>[] requests =
        [
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 1)),
            new DeleteManyModel<BsonDocument>("{ _id: 99 }"),
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 2)),
            new DeleteOneModel<BsonDocument>("{ _id: 98 }"),
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 3)),
        ];

        var result = await mode.Run(() => people.BulkWrite(requests, new BulkWriteOptions { IsOrdered = false }),
            () => people.BulkWriteAsync(requests, new BulkWriteOptions { IsOrdered = false }));

        Assert.Equal((1, 1), (server.Statistics.CommandsReceived("insert"), server.Statistics.CommandsReceived("delete")));
        Assert.False(server.Statistics.LastCommand("insert")!.Command["ordered"].AsBoolean);
        Assert.Equal(2, server.Statistics.LastCommand("delete")!.Command["deletes"].AsBsonArray.Count);
        Assert.Equal(3, result.InsertedCount);
    }
}
