using MongoAuth.Tests.Support;
using MongoDB.Bson;

namespace MongoAuth.Tests.Data;

/// <summary>The data API end to end against the test server's store, through the sync and the async API.</summary>
public sealed class CrudTests
{
    [Theory, BothModes]
    public async Task Insert_then_find_with_filter_sort_skip_limit_and_projection(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = client.GetDatabase("app").GetCollection<BsonDocument>("people");

        await mode.Run(() => people.InsertMany(DataServer.People()), () => people.InsertManyAsync(DataServer.People()));
        var find = people.Find(new BsonDocument("age", new BsonDocument("$gte", 40)))
            .Sort(new BsonDocument { { "age", -1 }, { "name", 1 } }).Skip(1).Limit(3)
            .Project("{ name: 1, _id: 0 }");
        var page = await mode.Run(() => find.ToList(), () => find.ToListAsync());
        var onTag = await mode.Run(() => people.Find("{ tags: 'math' }").ToList(), () => people.Find("{ tags: 'math' }").ToListAsync());

        Assert.Equal([new BsonDocument("name", "Grace"), new BsonDocument("name", "Edsger"), new BsonDocument("name", "Alan")], page);
        Assert.Equal([1, 3], onTag.Select(d => d["_id"].AsInt32));
        var sent = server.Statistics.LastCommand("find")!.Command;
        Assert.Equal(new BsonDocument("tags", "math"), sent["filter"]);
    }

    [Theory, BothModes]
    public async Task JSON_strings_serve_as_filter_sort_projection_and_update(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = await DataServer.SeededPeopleAsync(client);

        var find = people.Find("{ age: { $gte: 40 } }").Sort("{ age: -1, name: 1 }").Project("{ name: 1, _id: 0 }").Limit(2);
        var page = await mode.Run(() => find.ToList(), () => find.ToListAsync());
        var sentFind = server.Statistics.LastCommand("find")!.Command;
        var updated = await mode.Run(() => people.UpdateMany("{ tags: 'code' }", "{ $push: { tags: 'retro' }, $inc: { age: 1 } }"),
            () => people.UpdateManyAsync("{ tags: 'code' }", "{ $push: { tags: 'retro' }, $inc: { age: 1 } }"));
        var sentUpdate = server.Statistics.LastCommand("update")!.Command;
        var deleted = await mode.Run(() => people.DeleteOne("{ name: { $regex: '^Ed' } }"), () => people.DeleteOneAsync("{ name: { $regex: '^Ed' } }"));

        Assert.Equal([new BsonDocument("name", "Barbara"), new BsonDocument("name", "Grace")], page);
        Assert.Equal(BsonDocument.Parse("{ age: { $gte: 40 } }"), sentFind["filter"]);
        Assert.Equal(BsonDocument.Parse("{ age: -1, name: 1 }"), sentFind["sort"]);
        Assert.Equal(BsonDocument.Parse("{ name: 1, _id: 0 }"), sentFind["projection"]);
        Assert.Equal((2L, 2L), (updated.MatchedCount, updated.ModifiedCount));
        Assert.Equal(BsonDocument.Parse("{ $push: { tags: 'retro' }, $inc: { age: 1 } }"), sentUpdate["updates"][0]["u"]);
        Assert.Equal(1L, deleted.DeletedCount);
        Assert.Equal([1, 2, 3, 5], (await people.Find("{}").Sort("{ _id: 1 }").ToListAsync()).Select(d => d["_id"].AsInt32));
        Assert.Equal(new BsonArray { "navy", "code", "retro" }, (await people.Find("{ _id: 2 }").SingleAsync())["tags"]);
        // Malformed JSON is the caller's argument error, named, whatever MongoDB.Bson's reader threw.
        Assert.Equal("filter", Assert.Throws<ArgumentException>(() => people.Find("{ age: ")).ParamName);
        Assert.Equal("sort", Assert.Throws<ArgumentException>(() => people.Find("{}").Sort("{ age: -1")).ParamName);
        Assert.Equal("update", Assert.Throws<ArgumentException>(() => people.UpdateOne("{}", "{ $set: { a: } }")).ParamName);
    }

    [Theory, BothModes]
    public async Task A_POCO_gets_an_ObjectId_and_round_trips(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = client.GetDatabase("app").GetCollection<Person>("poco");
        var ada = new Person { Name = "Ada", Age = 36, City = "London" };
        var alan = new Person { Name = "Alan", Age = 41 };

        await mode.Run(() => people.InsertOne(ada), () => people.InsertOneAsync(ada));
        await mode.Run(() => people.InsertMany([alan]), () => people.InsertManyAsync([alan]));
        var found = await mode.Run(() => people.Find(new BsonDocument("Name", "Ada")).FirstOrDefault(),
            () => people.Find(new BsonDocument("Name", "Ada")).FirstOrDefaultAsync());
        var none = await mode.Run(() => people.Find(new BsonDocument("Name", "Nobody")).FirstOrDefault(),
            () => people.Find(new BsonDocument("Name", "Nobody")).FirstOrDefaultAsync());
        var firstOnly = server.Statistics.LastCommand("find")!.Command["limit"].AsInt32;
        var stored = await client.GetDatabase("app").GetCollection<BsonDocument>("poco").Find(new BsonDocument("_id", alan.Id)).SingleAsync();

        Assert.NotEqual(ObjectId.Empty, ada.Id);
        Assert.NotEqual(ada.Id, alan.Id);
        Assert.NotNull(found);
        Assert.Equal((ada.Id, "Ada", 36, "London"), (found.Id, found.Name, found.Age, found.City));
        Assert.Null(none);
        // The class map's names and [BsonIgnoreIfNull]: no City field at all for Alan.
        Assert.Equal(new BsonDocument { { "_id", alan.Id }, { "Name", "Alan" }, { "Age", 41 } }, stored);
        Assert.Equal(1, firstOnly);
    }

    [Theory, BothModes]
    public async Task A_BsonDocument_without_id_gets_one_first(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var things = client.GetDatabase("app").GetCollection<BsonDocument>("things");
        var thing = new BsonDocument("name", "lamp");

        await mode.Run(() => things.InsertOne(thing), () => things.InsertOneAsync(thing));

        Assert.Equal("_id", thing.GetElement(0).Name);
        Assert.Equal(BsonType.ObjectId, thing["_id"].BsonType);
        Assert.Equal(thing, await things.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync());
    }

    [Theory, BothModes]
    public async Task Counts_come_from_aggregate_and_count(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = await DataServer.SeededPeopleAsync(client);

        var old = await mode.Run(() => people.CountDocuments(new BsonDocument("age", 85)), () => people.CountDocumentsAsync(new BsonDocument("age", 85)));
        var limited = await mode.Run(() => people.CountDocuments(FilterDefinition<BsonDocument>.Empty, new CountOptions { Skip = 1, Limit = 2 }),
            () => people.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, new CountOptions { Skip = 1, Limit = 2 }));
        var none = await mode.Run(() => people.CountDocuments("{ age: 1 }"), () => people.CountDocumentsAsync("{ age: 1 }"));
        var estimated = await mode.Run(() => people.EstimatedDocumentCount(), () => people.EstimatedDocumentCountAsync());
        var missing = client.GetDatabase("app").GetCollection<BsonDocument>("missing");
        var estimatedMissing = await mode.Run(() => missing.EstimatedDocumentCount(), () => missing.EstimatedDocumentCountAsync());
        var fluent = await mode.Run(() => people.Find("{ age: { $gt: 40 } }").Limit(2).CountDocuments(),
            () => people.Find("{ age: { $gt: 40 } }").Limit(2).CountDocumentsAsync());

        Assert.Equal((2L, 2L, 0L, 5L, 0L, 2L), (old, limited, none, estimated, estimatedMissing, fluent));
        Assert.Equal(1 + 1, server.Statistics.CommandsReceived("count"));
    }

    [Theory, BothModes]
    public async Task Updates_report_matched_modified_and_upserted(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = await DataServer.SeededPeopleAsync(client);

        var one = await mode.Run(() => people.UpdateOne("{ _id: 1 }", "{ $inc: { age: 1 }, $set: { city: 'London' } }"),
            () => people.UpdateOneAsync("{ _id: 1 }", "{ $inc: { age: 1 }, $set: { city: 'London' } }"));
        var update = new BsonDocument("$set", new BsonDocument("retired", true));
        var many = await mode.Run(() => people.UpdateMany(new BsonDocument("age", 85), update), () => people.UpdateManyAsync(new BsonDocument("age", 85), update));
        var again = await mode.Run(() => people.UpdateMany(new BsonDocument("age", 85), update), () => people.UpdateManyAsync(new BsonDocument("age", 85), update));
        var upsertOptions = new UpdateOptions { IsUpsert = true };
        var upsert = await mode.Run(() => people.UpdateOne("{ name: 'Linus' }", "{ $setOnInsert: { age: 54 } }", upsertOptions),
            () => people.UpdateOneAsync("{ name: 'Linus' }", "{ $setOnInsert: { age: 54 } }", upsertOptions));
        var replacement = new BsonDocument { { "name", "Dijkstra" }, { "age", 72 } };
        var replaced = await mode.Run(() => people.ReplaceOne("{ _id: 4 }", replacement), () => people.ReplaceOneAsync("{ _id: 4 }", replacement));
        var pipeline = await mode.Run(() => people.UpdateOne("{ _id: 3 }", "[{ $set: { older: { $add: ['$age', 10] } } }]"),
            () => people.UpdateOneAsync("{ _id: 3 }", "[{ $set: { older: { $add: ['$age', 10] } } }]"));

        Assert.Equal((1L, 1L, (BsonValue?)null), (one.MatchedCount, one.ModifiedCount, one.UpsertedId));
        Assert.Equal((2L, 2L), (many.MatchedCount, many.ModifiedCount));
        Assert.Equal((2L, 0L), (again.MatchedCount, again.ModifiedCount));
        Assert.Equal((0L, 0L), (upsert.MatchedCount, upsert.ModifiedCount));
        Assert.Equal(BsonType.ObjectId, upsert.UpsertedId!.BsonType);
        Assert.Equal((1L, 1L), (replaced.MatchedCount, replaced.ModifiedCount));
        Assert.True(replaced.IsAcknowledged);
        Assert.Equal(new BsonDocument { { "_id", upsert.UpsertedId }, { "name", "Linus" }, { "age", 54 } },
            await people.Find(new BsonDocument("_id", upsert.UpsertedId)).SingleAsync());
        Assert.Equal(new BsonDocument { { "_id", 4 }, { "name", "Dijkstra" }, { "age", 72 } }, await people.Find("{ _id: 4 }").SingleAsync());
        Assert.Equal(51, (await people.Find("{ _id: 3 }").SingleAsync())["older"].ToInt32());
        Assert.Equal(1, pipeline.ModifiedCount);
    }

    [Theory, BothModes]
    public async Task Deletes_report_the_deleted_count(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = await DataServer.SeededPeopleAsync(client);

        var one = await mode.Run(() => people.DeleteOne("{ age: 85 }"), () => people.DeleteOneAsync("{ age: 85 }"));
        var many = await mode.Run(() => people.DeleteMany("{ age: { $lt: 80 } }"), () => people.DeleteManyAsync("{ age: { $lt: 80 } }"));
        var nothing = await mode.Run(() => people.DeleteMany("{ age: 1 }", new DeleteOptions()), () => people.DeleteManyAsync("{ age: 1 }", new DeleteOptions()));

        Assert.Equal((1L, 3L, 0L), (one.DeletedCount, many.DeletedCount, nothing.DeletedCount));
        Assert.Equal([5], (await people.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync()).Select(d => d["_id"].AsInt32));
    }

    [Theory, BothModes]
    public async Task FindOneAndUpdate_replace_and_delete_return_the_documents(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = await DataServer.SeededPeopleAsync(client);
        var after = new FindOneAndUpdateOptions<BsonDocument> { Sort = "{ age: -1, _id: -1 }", ReturnDocument = ReturnDocument.After };
        var upsert = new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After };
        var projected = new FindOneAndDeleteOptions<BsonDocument> { Projection = "{ name: 1 }" };

        var updated = await mode.Run(() => people.FindOneAndUpdate("{ age: 85 }", "{ $inc: { age: 1 } }", after),
            () => people.FindOneAndUpdateAsync("{ age: 85 }", "{ $inc: { age: 1 } }", after));
        var before = await mode.Run(() => people.FindOneAndReplace("{ _id: 3 }", new BsonDocument("name", "Turing")),
            () => people.FindOneAndReplaceAsync("{ _id: 3 }", new BsonDocument("name", "Turing")));
        var upserted = await mode.Run(() => people.FindOneAndUpdate("{ _id: 9 }", "{ $set: { name: 'Hopper' } }", upsert),
            () => people.FindOneAndUpdateAsync("{ _id: 9 }", "{ $set: { name: 'Hopper' } }", upsert));
        var deleted = await mode.Run(() => people.FindOneAndDelete("{ _id: 1 }", projected), () => people.FindOneAndDeleteAsync("{ _id: 1 }", projected));
        var missing = await mode.Run(() => people.FindOneAndDelete("{ _id: 42 }"), () => people.FindOneAndDeleteAsync("{ _id: 42 }"));

        Assert.Equal((5, 86), (updated!["_id"].AsInt32, updated["age"].AsInt32));
        Assert.Equal("Alan", before!["name"].AsString);
        Assert.Equal(new BsonDocument { { "_id", 9 }, { "name", "Hopper" } }, upserted);
        Assert.Equal(new BsonDocument { { "_id", 1 }, { "name", "Ada" } }, deleted);
        Assert.Null(missing);
        Assert.Equal(new BsonDocument { { "_id", 3 }, { "name", "Turing" } }, await people.Find("{ _id: 3 }").SingleAsync());
    }

    [Theory, BothModes]
    public async Task Distinct_and_aggregate_see_the_stored_documents(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = await DataServer.SeededPeopleAsync(client);
        BsonDocument[] stages =
        [
            new("$unwind", "$tags"),
            new("$group", new BsonDocument { { "_id", "$tags" }, { "n", new BsonDocument("$sum", 1) }, { "oldest", new BsonDocument("$max", "$age") } }),
            new("$sort", new BsonDocument { { "n", -1 }, { "_id", 1 } }),
        ];

        var tags = await mode.Run(() => people.Distinct<string>("tags", FilterDefinition<BsonDocument>.Empty).ToList(),
            async () => await (await people.DistinctAsync<string>("tags", FilterDefinition<BsonDocument>.Empty)).ToListAsync());
        var ages = await mode.Run(() => people.Distinct<int>("age", "{ age: { $gt: 40 } }").ToList(),
            async () => await (await people.DistinctAsync<int>("age", "{ age: { $gt: 40 } }")).ToListAsync());
        var groups = await mode.Run(() => people.Aggregate<BsonDocument>(stages).ToList(),
            async () => await (await people.AggregateAsync<BsonDocument>(stages)).ToListAsync());
        var json = await mode.Run(() => people.Aggregate<BsonDocument>("[{ $match: { age: 85 } }, { $count: 'n' }]").ToList(),
            async () => await (await people.AggregateAsync<BsonDocument>("[{ $match: { age: 85 } }, { $count: 'n' }]")).ToListAsync());

        Assert.Equal(["math", "code", "navy"], tags);
        Assert.Equal([85, 41, 72], ages);
        Assert.Equal(
            [
                new BsonDocument { { "_id", "code" }, { "n", 2 }, { "oldest", 85 } },
                new BsonDocument { { "_id", "math" }, { "n", 2 }, { "oldest", 41 } },
                new BsonDocument { { "_id", "navy" }, { "n", 1 }, { "oldest", 85 } },
            ],
            groups);
        Assert.Equal([new BsonDocument("n", 2)], json);
    }

    [Theory, BothModes]
    public async Task Collections_and_databases_are_created_listed_and_dropped(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var app = client.GetDatabase("app");
        await app.GetCollection<BsonDocument>("people").InsertOneAsync(new BsonDocument("name", "Ada"));
        await mode.Run(() => app.CreateCollection("empty"), () => app.CreateCollectionAsync("empty"));
        await client.GetDatabase("other").GetCollection<BsonDocument>("things").InsertOneAsync(new BsonDocument());

        var collections = await mode.Run(() => app.ListCollectionNames().ToList(), async () => await (await app.ListCollectionNamesAsync()).ToListAsync());
        var filtered = await mode.Run(() => app.ListCollectionNames(new ListCollectionNamesOptions { Filter = "{ name: 'people' }" }).ToList(),
            async () => await (await app.ListCollectionNamesAsync(new ListCollectionNamesOptions { Filter = "{ name: 'people' }" })).ToListAsync());
        var databases = await mode.Run(() => client.ListDatabaseNames().ToList(), async () => await (await client.ListDatabaseNamesAsync()).ToListAsync());
        await mode.Run(() => app.DropCollection("empty"), () => app.DropCollectionAsync("empty"));
        await mode.Run(() => app.DropCollection("never-existed"), () => app.DropCollectionAsync("never-existed"));
        await mode.Run(() => client.DropDatabase("other"), () => client.DropDatabaseAsync("other"));
        var collectionsAfter = await (await app.ListCollectionNamesAsync()).ToListAsync();
        var databasesAfter = await (await client.ListDatabaseNamesAsync()).ToListAsync();

        Assert.Equal(["empty", "people"], collections.Order());
        Assert.Equal(["people"], filtered);
        Assert.Contains("app", databases);
        Assert.Contains("other", databases);
        Assert.Equal(["people"], collectionsAfter);
        Assert.DoesNotContain("other", databasesAfter);
    }

    [Theory, BothModes]
    public async Task A_unique_index_is_created_listed_enforced_and_dropped(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = await DataServer.SeededPeopleAsync(client);
        var model = new CreateIndexModel<BsonDocument>("{ name: 1, age: -1 }", new CreateIndexOptions { Unique = true });

        var name = await mode.Run(() => people.Indexes.CreateOne(model), () => people.Indexes.CreateOneAsync(model));
        var more = await mode.Run(() => people.Indexes.CreateMany([new CreateIndexModel<BsonDocument>("{ age: 1 }", new CreateIndexOptions { Name = "by_age" })]),
            () => people.Indexes.CreateManyAsync([new CreateIndexModel<BsonDocument>("{ age: 1 }", new CreateIndexOptions { Name = "by_age" })]));
        var indexes = await mode.Run(() => people.Indexes.List().ToList(), async () => await (await people.Indexes.ListAsync()).ToListAsync());
        var duplicate = new BsonDocument { { "name", "Ada" }, { "age", 36 } };
        var error = await Assert.ThrowsAsync<MongoWriteException>(() => mode.Run(() => people.InsertOne(duplicate), () => people.InsertOneAsync(duplicate)));
        await mode.Run(() => people.Indexes.DropOne(name), () => people.Indexes.DropOneAsync(name));
        await mode.Run(() => people.InsertOne(duplicate), () => people.InsertOneAsync(duplicate));
        await mode.Run(() => people.Indexes.DropAll(), () => people.Indexes.DropAllAsync());
        var after = await (await people.Indexes.ListAsync()).ToListAsync();
        var missing = await client.GetDatabase("app").GetCollection<BsonDocument>("missing").Indexes.List().ToListAsync();

        Assert.Equal("name_1_age_-1", name);
        Assert.Equal(["by_age"], more);
        Assert.Equal(["_id_", "name_1_age_-1", "by_age"], indexes.Select(i => i["name"].AsString));
        Assert.True(indexes[1]["unique"].AsBoolean);
        Assert.Equal((11000, ServerErrorCategory.DuplicateKey), (error.WriteError!.Code, error.WriteError.Category));
        Assert.Contains("index: name_1_age_-1 dup key: { name: \"Ada\", age: 36 }", error.WriteError.Message, StringComparison.Ordinal);
        Assert.Equal(new BsonDocument { { "name", "Ada" }, { "age", 36 } }, error.WriteError.Details!["keyValue"]);
        Assert.Equal(["_id_"], after.Select(i => i["name"].AsString));
        Assert.Empty(missing);
    }

    [Theory, BothModes]
    public async Task RunCommand_reads_the_reply_into_a_type_and_takes_JSON(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var app = client.GetDatabase("app");

        var ping = await mode.Run(() => app.RunCommand<BsonDocument>("{ ping: 1 }"), () => app.RunCommandAsync<BsonDocument>("{ ping: 1 }"));
        var status = await mode.Run(() => app.RunCommand<BsonDocument>(new BsonDocument("connectionStatus", 1)),
            () => app.RunCommandAsync<BsonDocument>(new BsonDocument("connectionStatus", 1)));
        var error = await Assert.ThrowsAsync<MongoCommandException>(() =>
            mode.Run(() => app.RunCommand<BsonDocument>("{ noSuchCommand: 1 }"), () => app.RunCommandAsync<BsonDocument>("{ noSuchCommand: 1 }")));

        Assert.Equal(1.0, ping["ok"].ToDouble());
        Assert.Equal("alice", status["authInfo"]["authenticatedUsers"][0]["user"].AsString);
        Assert.Equal(59, error.Code);
    }

    [Theory, BothModes]
    public async Task A_read_only_user_reads_but_cannot_write(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using (var admin = DataServer.Connect(server))
        {
            await admin.GetDatabase("app").GetCollection<BsonDocument>("people").InsertManyAsync(DataServer.People());
        }

        await using var client = DataServer.Connect(server, "reader", "app");
        var people = client.GetDatabase("app").GetCollection<BsonDocument>("people");

        var count = await mode.Run(() => people.CountDocuments(FilterDefinition<BsonDocument>.Empty), () => people.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
        var error = await Assert.ThrowsAsync<MongoCommandException>(() =>
            mode.Run(() => people.InsertOne(new BsonDocument("x", 1)), () => people.InsertOneAsync(new BsonDocument("x", 1))));

        var update = await Assert.ThrowsAsync<MongoCommandException>(() =>
            mode.Run(() => people.UpdateOne("{ _id: 1 }", "{ $set: { x: 1 } }"), () => people.UpdateOneAsync("{ _id: 1 }", "{ $set: { x: 1 } }")));
        var delete = await Assert.ThrowsAsync<MongoCommandException>(() =>
            mode.Run(() => people.DeleteMany("{}"), () => people.DeleteManyAsync("{}")));

        Assert.Equal(5, count);
        foreach (var (refused, command) in new[] { (error, "insert"), (update, "update"), (delete, "delete") })
        {
            Assert.Equal((13, "Unauthorized"), (refused.Code, refused.CodeName));
            Assert.StartsWith($"not authorized on app to execute command {{ {command}: \"people\"", refused.ServerMessage, StringComparison.Ordinal);
        }

        Assert.Equal(5, await people.CountDocumentsAsync("{ x: { $exists: false } }"));
    }
}
