using MongoAuth.Tests.Data;
using MongoAuth.Tests.Reference;
using MongoAuth.Tests.Support;
using MongoAuth.TestServer;
using MongoDB.Bson;
using MongoDB.Driver;

// Outside the MongoAuth namespace on purpose: MongoAuth mirrors the official driver's type names (MongoClient,
// IMongoDatabase, …), which would otherwise shadow the official ones imported here.
namespace OfficialDriverReference;

/// <summary>
/// The official MongoDB.Driver, which no one here wrote, runs a CRUD scenario against the test server's data store
/// and sees what mongod would answer: reply shapes it cannot parse or results that differ fail here. Each scenario
/// runs through the driver's sync and async APIs.
/// </summary>
public sealed class OfficialDriverCrudTests
{
    // The server, its users and the seed documents are the data tests' own (DataServer), so both drivers meet the same data.
    private static MongoClient Connect(MongoTestServer server, string user = "alice", string authSource = "admin") =>
        OfficialDriver.Connect(server, $"{user}:{Uri.EscapeDataString(DataServer.Password)}", $"authSource={authSource}", tls: false);

    private static IMongoCollection<BsonDocument> People(MongoClient client) =>
        client.GetDatabase("app").GetCollection<BsonDocument>("people");

    [Theory, BothModes]
    public async Task Insert_then_find_with_filter_sort_skip_limit_and_projection(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        using var client = Connect(server);
        var people = People(client);

        await mode.Run(() => people.InsertMany(DataServer.People()), () => people.InsertManyAsync(DataServer.People()));
        var filter = Builders<BsonDocument>.Filter.Gte("age", 40);
        var find = people.Find(filter).Sort(Builders<BsonDocument>.Sort.Descending("age").Ascending("name")).Skip(1).Limit(3)
            .Project(Builders<BsonDocument>.Projection.Include("name").Exclude("_id"));
        var page = await mode.Run(() => find.ToList(), () => find.ToListAsync());

        Assert.Equal(
            [new BsonDocument("name", "Grace"), new BsonDocument("name", "Edsger"), new BsonDocument("name", "Alan")],
            page);
        var onTag = await mode.Run(
            () => people.Find(new BsonDocument("tags", "math")).ToList(),
            () => people.Find(new BsonDocument("tags", "math")).ToListAsync());
        Assert.Equal([1, 3], onTag.Select(d => d["_id"].AsInt32));
    }

    [Theory, BothModes]
    public async Task A_POCO_round_trips_with_its_driver_assigned_id(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        using var client = Connect(server);
        var people = client.GetDatabase("app").GetCollection<Person>("poco");
        var ada = new Person { Name = "Ada", Age = 36, City = "London" };

        await mode.Run(() => people.InsertOne(ada), () => people.InsertOneAsync(ada));
        await mode.Run(() => people.InsertMany([new Person { Name = "Alan", Age = 41 }]),
            () => people.InsertManyAsync([new Person { Name = "Alan", Age = 41 }]));
        var found = await mode.Run(() => people.Find(p => p.Name == "Ada").FirstOrDefault(),
            () => people.Find(p => p.Name == "Ada").FirstOrDefaultAsync());
        var older = await mode.Run(() => people.Find(p => p.Age > 40).ToList(), () => people.Find(p => p.Age > 40).ToListAsync());

        Assert.NotEqual(ObjectId.Empty, ada.Id);
        Assert.NotNull(found);
        Assert.Equal((ada.Id, "Ada", 36, "London"), (found.Id, found.Name, found.Age, found.City));
        Assert.Equal("Alan", Assert.Single(older).Name);
    }

    [Theory, BothModes]
    public async Task A_small_batch_size_reads_through_several_getMore_batches(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        using var client = Connect(server);
        var numbers = client.GetDatabase("app").GetCollection<BsonDocument>("numbers");
        var documents = Enumerable.Range(0, 23).Select(i => new BsonDocument { { "_id", i }, { "n", i * 2 } }).ToList();
        await mode.Run(() => numbers.InsertMany(documents), () => numbers.InsertManyAsync(documents));

        var options = new FindOptions { BatchSize = 5 };
        var all = await mode.Run(() => numbers.Find(FilterDefinition<BsonDocument>.Empty, options).ToList(),
            () => numbers.Find(FilterDefinition<BsonDocument>.Empty, options).ToListAsync());

        Assert.Equal(Enumerable.Range(0, 23), all.Select(d => d["_id"].AsInt32));
        Assert.Equal(4, server.Statistics.CommandsReceived("getMore")); // 5 + 5×4 (the last batch ends the cursor)
        Assert.Equal(0, server.OpenCursorCount);
    }

    [Theory, BothModes]
    public async Task Disposing_a_cursor_early_kills_it_on_the_server(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        using var client = Connect(server);
        var numbers = client.GetDatabase("app").GetCollection<BsonDocument>("numbers");
        var documents = Enumerable.Range(0, 10).Select(i => new BsonDocument("_id", i)).ToList();
        await numbers.InsertManyAsync(documents);

        var options = new FindOptions<BsonDocument> { BatchSize = 3 };
        var cursor = await mode.Run(() => numbers.FindSync(FilterDefinition<BsonDocument>.Empty, options),
            () => numbers.FindAsync(FilterDefinition<BsonDocument>.Empty, options));
        Assert.True(await mode.Run(() => cursor.MoveNext(), () => cursor.MoveNextAsync()));
        Assert.Equal(3, cursor.Current.Count());
        Assert.Equal(1, server.OpenCursorCount);
        cursor.Dispose();

        // The driver kills the cursor in the background after Dispose returns.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.OpenCursorCount > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, server.OpenCursorCount);
        Assert.Equal(1, server.Statistics.CommandsReceived("killCursors"));
    }

    [Theory, BothModes]
    public async Task Counts_come_from_aggregate_and_count(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        using var client = Connect(server);
        var people = People(client);
        await people.InsertManyAsync(DataServer.People());

        var old = await mode.Run(() => people.CountDocuments(new BsonDocument("age", 85)),
            () => people.CountDocumentsAsync(new BsonDocument("age", 85)));
        var limited = await mode.Run(() => people.CountDocuments(FilterDefinition<BsonDocument>.Empty, new CountOptions { Skip = 1, Limit = 2 }),
            () => people.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, new CountOptions { Skip = 1, Limit = 2 }));
        var none = await mode.Run(() => people.CountDocuments(new BsonDocument("age", 1)),
            () => people.CountDocumentsAsync(new BsonDocument("age", 1)));
        var estimated = await mode.Run(() => people.EstimatedDocumentCount(), () => people.EstimatedDocumentCountAsync());

        Assert.Equal((2, 2, 0, 5), (old, limited, none, estimated));
        Assert.True(server.Statistics.CommandsReceived("aggregate") >= 3);
        Assert.Equal(1, server.Statistics.CommandsReceived("count"));
    }

    [Theory, BothModes]
    public async Task Updates_report_matched_modified_and_upserted(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        using var client = Connect(server);
        var people = People(client);
        await people.InsertManyAsync(DataServer.People());
        var update = Builders<BsonDocument>.Update;

        var one = await mode.Run(() => people.UpdateOne(new BsonDocument("_id", 1), update.Inc("age", 1).Set("city", "London")),
            () => people.UpdateOneAsync(new BsonDocument("_id", 1), update.Inc("age", 1).Set("city", "London")));
        var many = await mode.Run(() => people.UpdateMany(new BsonDocument("age", 85), update.Set("retired", true)),
            () => people.UpdateManyAsync(new BsonDocument("age", 85), update.Set("retired", true)));
        var again = await mode.Run(() => people.UpdateMany(new BsonDocument("age", 85), update.Set("retired", true)),
            () => people.UpdateManyAsync(new BsonDocument("age", 85), update.Set("retired", true)));
        var upsert = await mode.Run(
            () => people.UpdateOne(new BsonDocument("name", "Linus"), update.SetOnInsert("age", 54), new UpdateOptions { IsUpsert = true }),
            () => people.UpdateOneAsync(new BsonDocument("name", "Linus"), update.SetOnInsert("age", 54), new UpdateOptions { IsUpsert = true }));
        var replaced = await mode.Run(
            () => people.ReplaceOne(new BsonDocument("_id", 4), new BsonDocument { { "name", "Dijkstra" }, { "age", 72 } }),
            () => people.ReplaceOneAsync(new BsonDocument("_id", 4), new BsonDocument { { "name", "Dijkstra" }, { "age", 72 } }));

        Assert.Equal((1L, 1L), (one.MatchedCount, one.ModifiedCount));
        Assert.Equal((2L, 2L), (many.MatchedCount, many.ModifiedCount));
        Assert.Equal((2L, 0L), (again.MatchedCount, again.ModifiedCount));
        Assert.Equal((0L, 0L), (upsert.MatchedCount, upsert.ModifiedCount));
        Assert.Equal(BsonType.ObjectId, upsert.UpsertedId.BsonType);
        Assert.Equal((1L, 1L), (replaced.MatchedCount, replaced.ModifiedCount));
        var linus = await people.Find(new BsonDocument("_id", upsert.UpsertedId)).SingleAsync();
        Assert.Equal(new BsonDocument { { "_id", upsert.UpsertedId }, { "name", "Linus" }, { "age", 54 } }, linus);
        var ada = await people.Find(new BsonDocument("_id", 1)).SingleAsync();
        Assert.Equal((37, "London"), (ada["age"].AsInt32, ada["city"].AsString));
        Assert.Equal(new BsonDocument { { "_id", 4 }, { "name", "Dijkstra" }, { "age", 72 } },
            await people.Find(new BsonDocument("_id", 4)).SingleAsync());
    }

    [Theory, BothModes]
    public async Task Deletes_report_the_deleted_count(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        using var client = Connect(server);
        var people = People(client);
        await people.InsertManyAsync(DataServer.People());

        var one = await mode.Run(() => people.DeleteOne(new BsonDocument("age", 85)), () => people.DeleteOneAsync(new BsonDocument("age", 85)));
        var many = await mode.Run(() => people.DeleteMany(new BsonDocument("age", new BsonDocument("$lt", 80))),
            () => people.DeleteManyAsync(new BsonDocument("age", new BsonDocument("$lt", 80))));

        Assert.Equal((1L, 3L), (one.DeletedCount, many.DeletedCount));
        Assert.Equal([5], (await people.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync()).Select(d => d["_id"].AsInt32));
    }

    [Theory, BothModes]
    public async Task FindOneAndUpdate_replace_and_delete_return_the_documents(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        using var client = Connect(server);
        var people = People(client);
        await people.InsertManyAsync(DataServer.People());
        var byAgeDescending = Builders<BsonDocument>.Sort.Descending("age").Descending("_id");

        var after = await mode.Run(
            () => people.FindOneAndUpdate(new BsonDocument("age", 85), Builders<BsonDocument>.Update.Inc("age", 1),
                new FindOneAndUpdateOptions<BsonDocument> { Sort = byAgeDescending, ReturnDocument = ReturnDocument.After }),
            () => people.FindOneAndUpdateAsync(new BsonDocument("age", 85), Builders<BsonDocument>.Update.Inc("age", 1),
                new FindOneAndUpdateOptions<BsonDocument> { Sort = byAgeDescending, ReturnDocument = ReturnDocument.After }));
        var before = await mode.Run(
            () => people.FindOneAndReplace(new BsonDocument("_id", 3), new BsonDocument("name", "Turing")),
            () => people.FindOneAndReplaceAsync(new BsonDocument("_id", 3), new BsonDocument("name", "Turing")));
        var upserted = await mode.Run(
            () => people.FindOneAndUpdate(new BsonDocument("_id", 9), Builders<BsonDocument>.Update.Set("name", "Hopper"),
                new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After }),
            () => people.FindOneAndUpdateAsync(new BsonDocument("_id", 9), Builders<BsonDocument>.Update.Set("name", "Hopper"),
                new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After }));
        var deleted = await mode.Run(
            () => people.FindOneAndDelete(new BsonDocument("_id", 1), new FindOneAndDeleteOptions<BsonDocument>
                { Projection = new BsonDocument("name", 1) }),
            () => people.FindOneAndDeleteAsync(new BsonDocument("_id", 1), new FindOneAndDeleteOptions<BsonDocument>
                { Projection = new BsonDocument("name", 1) }));
        var missing = await mode.Run(() => people.FindOneAndDelete(new BsonDocument("_id", 42)),
            () => people.FindOneAndDeleteAsync(new BsonDocument("_id", 42)));

        Assert.Equal((5, 86), (after["_id"].AsInt32, after["age"].AsInt32));
        Assert.Equal("Alan", before["name"].AsString);
        Assert.Equal(new BsonDocument { { "_id", 9 }, { "name", "Hopper" } }, upserted);
        Assert.Equal(new BsonDocument { { "_id", 1 }, { "name", "Ada" } }, deleted);
        Assert.Null(missing);
        Assert.Equal(new BsonDocument { { "_id", 3 }, { "name", "Turing" } }, await people.Find(new BsonDocument("_id", 3)).SingleAsync());
    }

    [Theory, BothModes]
    public async Task Distinct_and_aggregate_see_the_stored_documents(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        using var client = Connect(server);
        var people = People(client);
        await people.InsertManyAsync(DataServer.People());

        var tags = await mode.Run(() => people.Distinct<string>("tags", FilterDefinition<BsonDocument>.Empty).ToList(),
            async () => await (await people.DistinctAsync<string>("tags", FilterDefinition<BsonDocument>.Empty)).ToListAsync());
        PipelineDefinition<BsonDocument, BsonDocument> pipeline = new[]
        {
            new BsonDocument("$unwind", "$tags"),
            new BsonDocument("$group", new BsonDocument { { "_id", "$tags" }, { "n", new BsonDocument("$sum", 1) },
                { "oldest", new BsonDocument("$max", "$age") } }),
            new BsonDocument("$sort", new BsonDocument { { "n", -1 }, { "_id", 1 } }),
        };
        var groups = await mode.Run(() => people.Aggregate(pipeline).ToList(),
            async () => await (await people.AggregateAsync(pipeline)).ToListAsync());

        Assert.Equal(["math", "code", "navy"], tags);
        Assert.Equal(
            [
                new BsonDocument { { "_id", "code" }, { "n", 2 }, { "oldest", 85 } },
                new BsonDocument { { "_id", "math" }, { "n", 2 }, { "oldest", 41 } },
                new BsonDocument { { "_id", "navy" }, { "n", 1 }, { "oldest", 85 } },
            ],
            groups);
    }

    [Theory]
    [InlineData(Mode.Sync, true)]
    [InlineData(Mode.Async, true)]
    [InlineData(Mode.Sync, false)]
    [InlineData(Mode.Async, false)]
    public async Task A_bulk_write_with_a_duplicate_key_reports_the_failed_operation(Mode mode, bool ordered)
    {
        await using var server = await DataServer.StartAsync();
        using var client = Connect(server);
        var people = People(client);
        WriteModel<BsonDocument>[] requests =
        [
            new InsertOneModel<BsonDocument>(new BsonDocument { { "_id", 1 }, { "name", "Ada" } }),
            new InsertOneModel<BsonDocument>(new BsonDocument { { "_id", 1 }, { "name", "Ada again" } }),
            new InsertOneModel<BsonDocument>(new BsonDocument { { "_id", 2 }, { "name", "Grace" } }),
            new UpdateOneModel<BsonDocument>(new BsonDocument("_id", 2), Builders<BsonDocument>.Update.Set("age", 85)),
            new DeleteOneModel<BsonDocument>(new BsonDocument("_id", 1)),
        ];
        var options = new BulkWriteOptions { IsOrdered = ordered };

        var error = await Assert.ThrowsAsync<MongoBulkWriteException<BsonDocument>>(() =>
            mode.Run(() => people.BulkWrite(requests, options), () => people.BulkWriteAsync(requests, options)));

        var writeError = Assert.Single(error.WriteErrors);
        Assert.Equal((1, 11000, ServerErrorCategory.DuplicateKey), (writeError.Index, writeError.Code, writeError.Category));
        Assert.Contains("E11000 duplicate key error collection: app.people index: _id_ dup key: { _id: 1 }", writeError.Message,
            StringComparison.Ordinal);
        var remaining = await people.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync();
        if (ordered)
        {
            Assert.Equal((1L, 0L, 0L), (error.Result.InsertedCount, error.Result.ModifiedCount, error.Result.DeletedCount));
            Assert.Equal([new BsonDocument { { "_id", 1 }, { "name", "Ada" } }], remaining);
            Assert.Equal(3, error.UnprocessedRequests.Count);
        }
        else
        {
            Assert.Equal((2L, 1L, 1L), (error.Result.InsertedCount, error.Result.ModifiedCount, error.Result.DeletedCount));
            Assert.Equal([new BsonDocument { { "_id", 2 }, { "name", "Grace" }, { "age", 85 } }], remaining);
        }
    }

    [Theory, BothModes]
    public async Task A_unique_index_is_created_listed_enforced_and_dropped(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        using var client = Connect(server);
        var people = People(client);
        await people.InsertManyAsync(DataServer.People());
        var model = new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("name").Descending("age"),
            new CreateIndexOptions { Unique = true });

        var name = await mode.Run(() => people.Indexes.CreateOne(model), () => people.Indexes.CreateOneAsync(model));
        var indexes = await mode.Run(() => people.Indexes.List().ToList(), async () => await (await people.Indexes.ListAsync()).ToListAsync());
        var duplicate = new BsonDocument { { "name", "Ada" }, { "age", 36 } };
        var error = await Assert.ThrowsAsync<MongoWriteException>(() =>
            mode.Run(() => people.InsertOne(duplicate), () => people.InsertOneAsync(duplicate)));
        await mode.Run(() => people.Indexes.DropOne(name), () => people.Indexes.DropOneAsync(name));
        await mode.Run(() => people.InsertOne(duplicate), () => people.InsertOneAsync(duplicate));
        var after = await (await people.Indexes.ListAsync()).ToListAsync();

        Assert.Equal("name_1_age_-1", name);
        Assert.Equal(["_id_", "name_1_age_-1"], indexes.Select(i => i["name"].AsString));
        Assert.True(indexes[1]["unique"].AsBoolean);
        Assert.Equal(ServerErrorCategory.DuplicateKey, error.WriteError.Category);
        Assert.Contains("index: name_1_age_-1 dup key: { name: \"Ada\", age: 36 }", error.WriteError.Message, StringComparison.Ordinal);
        Assert.Equal(["_id_"], after.Select(i => i["name"].AsString));
    }

    [Theory, BothModes]
    public async Task Collections_and_databases_are_listed_and_dropped(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        using var client = Connect(server);
        var app = client.GetDatabase("app");
        await app.GetCollection<BsonDocument>("people").InsertOneAsync(new BsonDocument("name", "Ada"));
        await mode.Run(() => app.CreateCollection("empty"), () => app.CreateCollectionAsync("empty"));
        await client.GetDatabase("other").GetCollection<BsonDocument>("things").InsertOneAsync(new BsonDocument());

        var collections = await mode.Run(() => app.ListCollectionNames().ToList(), async () => await (await app.ListCollectionNamesAsync()).ToListAsync());
        var databases = await mode.Run(() => client.ListDatabaseNames().ToList(), async () => await (await client.ListDatabaseNamesAsync()).ToListAsync());
        await mode.Run(() => app.DropCollection("people"), () => app.DropCollectionAsync("people"));
        await mode.Run(() => app.DropCollection("never-existed"), () => app.DropCollectionAsync("never-existed"));
        await mode.Run(() => client.DropDatabase("other"), () => client.DropDatabaseAsync("other"));
        var collectionsAfter = await (await app.ListCollectionNamesAsync()).ToListAsync();
        var databasesAfter = await (await client.ListDatabaseNamesAsync()).ToListAsync();

        Assert.Equal(["empty", "people"], collections.Order());
        Assert.Equal(["app", "other"], databases.Order());
        Assert.Equal(["empty"], collectionsAfter);
        Assert.Equal(["app"], databasesAfter);
    }

    [Theory, BothModes]
    public async Task A_read_only_user_reads_but_cannot_write(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        using (var writer = Connect(server, "writer", "app"))
        {
            await People(writer).InsertOneAsync(new BsonDocument("_id", 1));
        }

        using var reader = Connect(server, "reader", "app");
        var people = People(reader);

        var read = await mode.Run(() => people.Find(FilterDefinition<BsonDocument>.Empty).ToList(),
            () => people.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync());
        var error = await Assert.ThrowsAsync<MongoCommandException>(() =>
            mode.Run(() => people.InsertOne(new BsonDocument("_id", 2)), () => people.InsertOneAsync(new BsonDocument("_id", 2))));

        Assert.Equal([new BsonDocument("_id", 1)], read);
        Assert.Equal((13, "Unauthorized"), (error.Code, error.CodeName));
        Assert.StartsWith("not authorized on app to execute command { insert: \"people\"", error.Result["errmsg"].AsString, StringComparison.Ordinal);
        Assert.Equal(1L, await People(Connect(server)).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
    }

    [Theory, BothModes]
    public async Task Unknown_operators_and_stages_get_mongod_s_codes(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        using var client = Connect(server);
        var people = People(client);
        await people.InsertManyAsync(DataServer.People());
        var unknownOperator = BsonDocument.Parse("{ age: { $foo: 1 } }");
        BsonDocument[] pipeline = [new("$match", new BsonDocument()), new("$foo", new BsonDocument())];

        var find = await Assert.ThrowsAsync<MongoCommandException>(() =>
            mode.Run(() => people.Find(unknownOperator).ToList(), () => people.Find(unknownOperator).ToListAsync()));
        var count = await Assert.ThrowsAsync<MongoCommandException>(() =>
            mode.Run(() => people.CountDocuments(unknownOperator), () => people.CountDocumentsAsync(unknownOperator)));
        var update = await Assert.ThrowsAsync<MongoWriteException>(() => mode.Run(
            () => people.UpdateMany(unknownOperator, Builders<BsonDocument>.Update.Set("x", 1)),
            () => people.UpdateManyAsync(unknownOperator, Builders<BsonDocument>.Update.Set("x", 1))));
        var stage = await Assert.ThrowsAsync<MongoCommandException>(() => mode.Run(
            () => people.Aggregate<BsonDocument>(pipeline).ToList(),
            async () => await (await people.AggregateAsync<BsonDocument>(pipeline)).ToListAsync()));

        foreach (var error in new[] { find, count })
        {
            Assert.Equal((2, "BadValue", "unknown operator: $foo"), (error.Code, error.CodeName, error.Result["errmsg"].AsString));
        }

        Assert.Equal((2, "unknown operator: $foo"), (update.WriteError.Code, update.WriteError.Message));
        Assert.Equal((40324, "Location40324", "Unrecognized pipeline stage name: '$foo'"),
            (stage.Code, stage.CodeName, stage.Result["errmsg"].AsString));
        Assert.Equal(0, server.OpenCursorCount);
    }

    [Fact]
    public async Task The_standalone_server_gets_no_transaction_numbers_from_the_driver()
    {
        await using var server = await DataServer.StartAsync();
        using var client = Connect(server);
        var people = People(client);

        await people.InsertOneAsync(new BsonDocument("_id", 1));
        await people.UpdateOneAsync(new BsonDocument("_id", 1), Builders<BsonDocument>.Update.Set("a", 1));

        // A standalone does not support retryable writes, so the driver must not attach txnNumber: the store refuses
        // it as a standalone mongod does (20 IllegalOperation), which would have failed the writes above.
        Assert.Equal(new BsonDocument { { "_id", 1 }, { "a", 1 } }, await people.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync());
    }
}
