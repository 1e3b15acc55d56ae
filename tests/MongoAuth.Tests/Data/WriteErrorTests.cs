using MongoAuth.Tests.Support;
using MongoAuth.TestServer;
using MongoDB.Bson;

namespace MongoAuth.Tests.Data;

/// <summary>Write errors are typed: index, code, category and message, mapped back to the application's requests.</summary>
public sealed class WriteErrorTests
{
    [Theory, BothModes]
    public async Task A_duplicate_id_is_a_MongoWriteException_with_the_duplicate_key_category(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = client.GetDatabase("app").GetCollection<BsonDocument>("people");
        await people.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "name", "Ada" } });

        var error = await Assert.ThrowsAsync<MongoWriteException>(() => mode.Run(
            () => people.InsertOne(new BsonDocument { { "_id", 1 }, { "name", "Ada again" } }),
            () => people.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "name", "Ada again" } })));

        Assert.Equal((11000, ServerErrorCategory.DuplicateKey), (error.WriteError!.Code, error.WriteError.Category));
        Assert.Contains("E11000 duplicate key error collection: app.people index: _id_ dup key: { _id: 1 }", error.WriteError.Message, StringComparison.Ordinal);
        Assert.Contains("app.people", error.Message, StringComparison.Ordinal);
        Assert.Null(error.WriteConcernError);
    }

    [Theory, BothModes]
    public async Task An_update_that_breaks_a_unique_index_is_a_MongoWriteException(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = await DataServer.SeededPeopleAsync(client);
        await people.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>("{ name: 1 }", new CreateIndexOptions { Unique = true }));

        var error = await Assert.ThrowsAsync<MongoWriteException>(() => mode.Run(
            () => people.UpdateOne("{ _id: 2 }", "{ $set: { name: 'Ada' } }"),
            () => people.UpdateOneAsync("{ _id: 2 }", "{ $set: { name: 'Ada' } }")));

        Assert.Equal(ServerErrorCategory.DuplicateKey, error.WriteError!.Category);
        Assert.Equal("Grace", (await people.Find("{ _id: 2 }").SingleAsync())["name"].AsString);
    }

    [Theory]
    [InlineData(Mode.Sync, true)]
    [InlineData(Mode.Async, true)]
    [InlineData(Mode.Sync, false)]
    [InlineData(Mode.Async, false)]
    public async Task A_bulk_write_reports_each_failed_request_by_its_index(Mode mode, bool ordered)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = client.GetDatabase("app").GetCollection<BsonDocument>("people");
        WriteModel<BsonDocument>[] requests =
        [
            new InsertOneModel<BsonDocument>(new BsonDocument { { "_id", 1 }, { "name", "Ada" } }),
            new InsertOneModel<BsonDocument>(new BsonDocument { { "_id", 1 }, { "name", "Ada again" } }),
            new InsertOneModel<BsonDocument>(new BsonDocument { { "_id", 2 }, { "name", "Grace" } }),
            new UpdateOneModel<BsonDocument>("{ _id: 2 }", "{ $set: { age: 85 } }"),
            new DeleteOneModel<BsonDocument>("{ _id: 1 }"),
        ];
        var options = new BulkWriteOptions { IsOrdered = ordered };

        var error = await Assert.ThrowsAsync<MongoBulkWriteException<BsonDocument>>(() =>
            mode.Run(() => people.BulkWrite(requests, options), () => people.BulkWriteAsync(requests, options)));

        var writeError = Assert.Single(error.WriteErrors);
        Assert.Equal((1, 11000, ServerErrorCategory.DuplicateKey), (writeError.Index, writeError.Code, writeError.Category));
        var remaining = await people.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync();
        if (ordered)
        {
            Assert.Equal((1L, 0L, 0L), (error.Result.InsertedCount, error.Result.ModifiedCount, error.Result.DeletedCount));
            Assert.Equal([new BsonDocument { { "_id", 1 }, { "name", "Ada" } }], remaining);
            Assert.Equal(requests[2..], error.UnprocessedRequests);
            Assert.Equal(requests[..2], error.Result.ProcessedRequests);
        }
        else
        {
            Assert.Equal((2L, 1L, 1L), (error.Result.InsertedCount, error.Result.ModifiedCount, error.Result.DeletedCount));
            Assert.Equal([new BsonDocument { { "_id", 2 }, { "name", "Grace" }, { "age", 85 } }], remaining);
            Assert.Empty(error.UnprocessedRequests);
        }
    }

    [Theory, BothModes]
    public async Task Error_indexes_are_mapped_back_across_batches(Mode mode)
    {
        await using var server = await DataServer.StartAsync(new TestServerOptions { MaxWriteBatchSize = 2 });
        await using var client = DataServer.Connect(server);
        var numbers = client.GetDatabase("app").GetCollection<BsonDocument>("numbers");
        // Duplicates at positions 3 and 6: in the second and fourth batch, at index 1 and 0 of their batches.
        var documents = new[] { 0, 1, 2, 2, 4, 5, 5, 7 }.Select(i => new BsonDocument("_id", i)).ToList();
        var options = new InsertManyOptions { IsOrdered = false };

        var error = await Assert.ThrowsAsync<MongoBulkWriteException<BsonDocument>>(() =>
            mode.Run(() => numbers.InsertMany(documents, options), () => numbers.InsertManyAsync(documents, options)));

        Assert.Equal([3, 6], error.WriteErrors.Select(e => e.Index));
        Assert.Equal(6, error.Result.InsertedCount);
        Assert.Equal(4, server.Statistics.CommandsReceived("insert"));
    }

    [Theory, BothModes]
    public async Task A_replacement_with_operators_and_an_update_without_them_are_refused_before_sending(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = client.GetDatabase("app").GetCollection<BsonDocument>("people");

        await Assert.ThrowsAsync<ArgumentException>(() => mode.Run(
            () => people.ReplaceOne("{ _id: 1 }", new BsonDocument("$set", new BsonDocument("a", 1))),
            () => people.ReplaceOneAsync("{ _id: 1 }", new BsonDocument("$set", new BsonDocument("a", 1)))));
        await Assert.ThrowsAsync<ArgumentException>(() => mode.Run(
            () => people.UpdateOne("{ _id: 1 }", new BsonDocument("a", 1)),
            () => people.UpdateOneAsync("{ _id: 1 }", new BsonDocument("a", 1))));
        Assert.Equal(0, server.Statistics.CommandsReceived("update"));
    }
}
