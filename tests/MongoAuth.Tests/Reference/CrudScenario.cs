using MongoAuth.Tests.Support;
using MongoDB.Bson;

namespace MongoAuth.Tests.Reference;

/// <summary>
/// The data-API reference scenario (the same steps as tests/node/crud.js and <c>OfficialCrudScenario</c>) run by
/// MongoAuth in one mode; returns {step: value} for comparison with the reference drivers.
/// </summary>
internal static class CrudScenario
{
    public static BsonDocument[] People() =>
    [
        new() { { "_id", 1 }, { "name", "Ada" }, { "age", 36 }, { "tags", new BsonArray { "math", "code" } } },
        new() { { "_id", 2 }, { "name", "Grace" }, { "age", 85 }, { "tags", new BsonArray { "navy", "code" } } },
        new() { { "_id", 3 }, { "name", "Alan" }, { "age", 41 }, { "tags", new BsonArray { "math" } } },
        new() { { "_id", 4 }, { "name", "Edsger" }, { "age", 72 }, { "tags", new BsonArray() } },
        new() { { "_id", 5 }, { "name", "Barbara" }, { "age", 85 } },
    ];

    public static async Task<BsonDocument> RunAsync(MongoClient client, string database, Mode mode)
    {
        var db = client.GetDatabase(database);
        var c = db.GetCollection<BsonDocument>("people");
        var steps = new BsonDocument();
        var people = People();
        await Data.ModeRun.Run(mode, () => c.InsertMany(people), () => c.InsertManyAsync(people));
        steps["insertMany"] = people.Length;
        var page = c.Find("{ age: { $gte: 40 } }").Sort("{ age: -1, name: 1 }").Skip(1).Limit(3).Project("{ name: 1, _id: 0 }");
        steps["page"] = new BsonArray(await Data.ModeRun.Run(mode, () => page.ToList(), () => page.ToListAsync()));
        var batched = c.Find(FilterDefinition<BsonDocument>.Empty, new FindOptions { BatchSize = 2 }).Sort("{ _id: 1 }");
        steps["batched"] = new BsonArray((await Data.ModeRun.Run(mode, () => batched.ToList(), () => batched.ToListAsync())).Select(d => d["_id"]));
        var first = c.Find("{ tags: 'math' }").Sort("{ _id: -1 }");
        steps["first"] = (BsonValue?)await Data.ModeRun.Run(mode, () => first.FirstOrDefault(), () => first.FirstOrDefaultAsync()) ?? BsonNull.Value;
        steps["count"] = await Data.ModeRun.Run(mode, () => c.CountDocuments("{ age: 85 }"), () => c.CountDocumentsAsync("{ age: 85 }"));
        var limited = new CountOptions { Skip = 1, Limit = 2 };
        steps["countLimited"] = await Data.ModeRun.Run(mode, () => c.CountDocuments("{}", limited), () => c.CountDocumentsAsync("{}", limited));
        steps["estimated"] = await Data.ModeRun.Run(mode, () => c.EstimatedDocumentCount(), () => c.EstimatedDocumentCountAsync());
        steps["updateOne"] = Update(await Data.ModeRun.Run(mode, () => c.UpdateOne("{ _id: 1 }", "{ $inc: { age: 1 }, $set: { city: 'London' } }"),
            () => c.UpdateOneAsync("{ _id: 1 }", "{ $inc: { age: 1 }, $set: { city: 'London' } }")));
        steps["updateMany"] = Update(await Data.ModeRun.Run(mode, () => c.UpdateMany("{ age: 85 }", "{ $set: { retired: true } }"),
            () => c.UpdateManyAsync("{ age: 85 }", "{ $set: { retired: true } }")));
        var upsert = new UpdateOptions { IsUpsert = true };
        steps["upsert"] = Update(await Data.ModeRun.Run(mode, () => c.UpdateOne("{ _id: 6 }", "{ $set: { name: 'Linus', age: 54 } }", upsert),
            () => c.UpdateOneAsync("{ _id: 6 }", "{ $set: { name: 'Linus', age: 54 } }", upsert)));
        var replacement = new BsonDocument { { "name", "Dijkstra" }, { "age", 72 } };
        var replaced = await Data.ModeRun.Run(mode, () => c.ReplaceOne("{ _id: 4 }", replacement), () => c.ReplaceOneAsync("{ _id: 4 }", replacement));
        steps["replaceOne"] = new BsonDocument { { "matched", replaced.MatchedCount }, { "modified", replaced.ModifiedCount }, { "upsertedId", replaced.UpsertedId ?? BsonNull.Value } };
        steps["deleteOne"] = (await Data.ModeRun.Run(mode, () => c.DeleteOne("{ age: { $lt: 40 } }"), () => c.DeleteOneAsync("{ age: { $lt: 40 } }"))).DeletedCount;
        var after = new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After };
        steps["findOneAndUpdate"] = await Data.ModeRun.Run(mode, () => c.FindOneAndUpdate("{ _id: 2 }", "{ $inc: { age: 1 } }", after),
            () => c.FindOneAndUpdateAsync("{ _id: 2 }", "{ $inc: { age: 1 } }", after)) ?? (BsonValue)BsonNull.Value;
        steps["findOneAndReplace"] = await Data.ModeRun.Run(mode, () => c.FindOneAndReplace("{ _id: 6 }", new BsonDocument("name", "Torvalds")),
            () => c.FindOneAndReplaceAsync("{ _id: 6 }", new BsonDocument("name", "Torvalds"))) ?? (BsonValue)BsonNull.Value;
        var projected = new FindOneAndDeleteOptions<BsonDocument> { Projection = "{ name: 1 }" };
        steps["findOneAndDelete"] = await Data.ModeRun.Run(mode, () => c.FindOneAndDelete("{ _id: 3 }", projected),
            () => c.FindOneAndDeleteAsync("{ _id: 3 }", projected)) ?? (BsonValue)BsonNull.Value;
        steps["findOneAndDeleteMissing"] = await Data.ModeRun.Run(mode, () => c.FindOneAndDelete("{ _id: 42 }"),
            () => c.FindOneAndDeleteAsync("{ _id: 42 }")) ?? (BsonValue)BsonNull.Value;
        steps["distinct"] = new BsonArray(await Data.ModeRun.Run(mode, () => c.Distinct<BsonValue>("tags", "{}").ToList(),
            async () => await (await c.DistinctAsync<BsonValue>("tags", "{}")).ToListAsync()));
        const string pipeline = "[{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 }, oldest: { $max: '$age' } } }, { $sort: { n: -1, _id: 1 } }]";
        steps["aggregate"] = new BsonArray(await Data.ModeRun.Run(mode, () => c.Aggregate<BsonDocument>(pipeline).ToList(),
            async () => await (await c.AggregateAsync<BsonDocument>(pipeline)).ToListAsync()));
        try
        {
            await Data.ModeRun.Run(mode, () => c.InsertOne(new BsonDocument { { "_id", 2 }, { "name", "Grace again" } }),
                () => c.InsertOneAsync(new BsonDocument { { "_id", 2 }, { "name", "Grace again" } }));
            steps["duplicate"] = "no error";
        }
        catch (MongoWriteException e)
        {
            steps["duplicate"] = new BsonDocument("code", e.WriteError!.Code);
        }

        WriteModel<BsonDocument>[] requests =
        [
            new InsertOneModel<BsonDocument>(new BsonDocument { { "_id", 10 }, { "name", "Hedy" } }),
            new InsertOneModel<BsonDocument>(new BsonDocument { { "_id", 2 }, { "name", "Grace again" } }),
            new UpdateOneModel<BsonDocument>("{ _id: 10 }", "{ $set: { age: 60 } }"),
            new DeleteOneModel<BsonDocument>("{ _id: 5 }"),
        ];
        try
        {
            var unordered = new BulkWriteOptions { IsOrdered = false };
            await Data.ModeRun.Run(mode, () => c.BulkWrite(requests, unordered), () => c.BulkWriteAsync(requests, unordered));
            steps["bulk"] = "no error";
        }
        catch (MongoBulkWriteException<BsonDocument> e)
        {
            steps["bulk"] = new BsonDocument
            {
                { "errors", new BsonArray(e.WriteErrors.Select(w => new BsonDocument { { "index", w.Index }, { "code", w.Code } })) },
                { "inserted", e.Result.InsertedCount },
                { "modified", e.Result.ModifiedCount },
                { "deleted", e.Result.DeletedCount },
            };
        }

        var index = new CreateIndexModel<BsonDocument>("{ name: 1 }", new CreateIndexOptions { Unique = true });
        steps["index"] = await Data.ModeRun.Run(mode, () => c.Indexes.CreateOne(index), () => c.Indexes.CreateOneAsync(index));
        steps["indexes"] = new BsonArray((await Data.ModeRun.Run(mode, () => c.Indexes.List().ToList(),
            async () => await (await c.Indexes.ListAsync()).ToListAsync())).Select(i => i["name"]));
        try
        {
            await Data.ModeRun.Run(mode, () => c.UpdateOne("{ _id: 10 }", "{ $set: { name: 'Grace' } }"), () => c.UpdateOneAsync("{ _id: 10 }", "{ $set: { name: 'Grace' } }"));
            steps["uniqueViolation"] = "no error";
        }
        catch (MongoWriteException e)
        {
            steps["uniqueViolation"] = new BsonDocument("code", e.WriteError!.Code);
        }

        var all = c.Find("{}").Sort("{ _id: 1 }");
        steps["final"] = new BsonArray(await Data.ModeRun.Run(mode, () => all.ToList(), () => all.ToListAsync()));
        steps["collections"] = new BsonArray(await Data.ModeRun.Run(mode, () => db.ListCollectionNames().ToList(),
            async () => await (await db.ListCollectionNamesAsync()).ToListAsync()));
        return steps;
    }

    /// <summary>
    /// The scenario's results with every number as a double: drivers read the same BSON into different numeric types
    /// (a count is a long in C#, a JavaScript number in Node.js), and the comparison is about values.
    /// </summary>
    public static BsonValue Normalize(BsonValue value) => value switch
    {
        BsonDocument document => new BsonDocument(document.Select(e => new BsonElement(e.Name, Normalize(e.Value)))),
        BsonArray array => new BsonArray(array.Select(Normalize)),
        _ when value.IsNumeric => new BsonDouble(value.ToDouble()),
        _ => value,
    };

    private static BsonDocument Update(UpdateResult result) =>
        new() { { "matched", result.MatchedCount }, { "modified", result.ModifiedCount }, { "upsertedId", result.UpsertedId ?? BsonNull.Value } };
}
