using MongoAuth.Tests.Reference;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Driver;
using Mode = MongoAuth.Tests.Support.Mode;

// Outside the MongoAuth namespace on purpose: the official driver's type names (MongoClient, IMongoCollection, ...)
// are the ones imported here; MongoAuth's are written out in full.
namespace OfficialDriverReference;

/// <summary>
/// The data-API reference scenario: the same CRUD steps run by MongoAuth (sync and async), by the official C# driver and
/// by the Node.js driver (tests/node/crud.js) against one test server, each in its own database. All must see the same
/// results — which is how we know both that the test server answers with mongod's shapes (two drivers no one here wrote
/// accept them) and that MongoAuth reads them as those drivers do.
/// </summary>
public sealed class CrudReferenceScenarioTests
{
    private const string Password = "correct horse";

    [Fact]
    public async Task MongoAuth_the_official_driver_and_the_Node_driver_see_the_same_results()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), CancellationToken.None);
        server.Users.AddScramUser("admin", "alice", Password, [new GrantedRole("root", "admin")]);
        var uri = $"mongodb://alice:correct%20horse@127.0.0.1:{server.Port}/?authSource=admin&directConnection=true";

        BsonDocument ours;
        BsonDocument oursSync;
        await using (var client = new MongoAuth.MongoClient(uri))
        {
            ours = await CrudScenario.RunAsync(client, "ours_async", Mode.Async);
            oursSync = await CrudScenario.RunAsync(client, "ours_sync", Mode.Sync);
        }

        using var official = new MongoClient(uri);
        var theirs = await OfficialScenarioAsync(official.GetDatabase("official"));
        var node = await NodeAsync(uri, "node");

        var expected = CrudScenario.Normalize(node);
        Assert.Equal(expected, CrudScenario.Normalize(theirs));
        Assert.Equal(expected, CrudScenario.Normalize(ours));
        Assert.Equal(expected, CrudScenario.Normalize(oursSync));
        // And the results are the scenario's, not three identical failures.
        Assert.Equal(new BsonDocument("code", 11000), ours["duplicate"]);
        Assert.Equal([1, 11000], ours["bulk"]["errors"].AsBsonArray.Select(e => e.AsBsonDocument).SelectMany(e => new[] { e["index"].AsInt32, e["code"].AsInt32 }));
        Assert.Equal(new BsonArray { 2, 4, 6, 10 }, new BsonArray(ours["final"].AsBsonArray.Select(d => d["_id"])));
        Assert.Equal(new BsonDocument { { "_id", 2 }, { "name", "Grace" }, { "age", 86 }, { "tags", new BsonArray { "navy", "code" } }, { "retired", true } },
            ours["findOneAndUpdate"]);
    }

    private static async Task<BsonDocument> OfficialScenarioAsync(IMongoDatabase db)
    {
        var c = db.GetCollection<BsonDocument>("people");
        var steps = new BsonDocument();
        var people = CrudScenario.People();
        await c.InsertManyAsync(people);
        steps["insertMany"] = people.Length;
        steps["page"] = new BsonArray(await c.Find("{ age: { $gte: 40 } }").Sort("{ age: -1, name: 1 }").Skip(1).Limit(3).Project("{ name: 1, _id: 0 }").ToListAsync());
        steps["batched"] = new BsonArray((await c.Find(FilterDefinition<BsonDocument>.Empty, new FindOptions { BatchSize = 2 }).Sort("{ _id: 1 }").ToListAsync()).Select(d => d["_id"]));
        steps["first"] = (BsonValue?)await c.Find("{ tags: 'math' }").Sort("{ _id: -1 }").FirstOrDefaultAsync() ?? BsonNull.Value;
        steps["count"] = await c.CountDocumentsAsync("{ age: 85 }");
        steps["countLimited"] = await c.CountDocumentsAsync("{}", new CountOptions { Skip = 1, Limit = 2 });
        steps["estimated"] = await c.EstimatedDocumentCountAsync();
        steps["updateOne"] = Update(await c.UpdateOneAsync("{ _id: 1 }", "{ $inc: { age: 1 }, $set: { city: 'London' } }"));
        steps["updateMany"] = Update(await c.UpdateManyAsync("{ age: 85 }", "{ $set: { retired: true } }"));
        steps["upsert"] = Update(await c.UpdateOneAsync("{ _id: 6 }", "{ $set: { name: 'Linus', age: 54 } }", new UpdateOptions { IsUpsert = true }));
        var replaced = await c.ReplaceOneAsync("{ _id: 4 }", new BsonDocument { { "name", "Dijkstra" }, { "age", 72 } });
        steps["replaceOne"] = new BsonDocument { { "matched", replaced.MatchedCount }, { "modified", replaced.ModifiedCount }, { "upsertedId", replaced.UpsertedId ?? BsonNull.Value } };
        steps["deleteOne"] = (await c.DeleteOneAsync("{ age: { $lt: 40 } }")).DeletedCount;
        steps["findOneAndUpdate"] = await c.FindOneAndUpdateAsync<BsonDocument>("{ _id: 2 }", "{ $inc: { age: 1 } }",
            new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After }) ?? (BsonValue)BsonNull.Value;
        steps["findOneAndReplace"] = await c.FindOneAndReplaceAsync<BsonDocument>("{ _id: 6 }", new BsonDocument("name", "Torvalds")) ?? (BsonValue)BsonNull.Value;
        steps["findOneAndDelete"] = await c.FindOneAndDeleteAsync<BsonDocument>("{ _id: 3 }",
            new FindOneAndDeleteOptions<BsonDocument> { Projection = "{ name: 1 }" }) ?? (BsonValue)BsonNull.Value;
        steps["findOneAndDeleteMissing"] = await c.FindOneAndDeleteAsync<BsonDocument>("{ _id: 42 }") ?? (BsonValue)BsonNull.Value;
        steps["distinct"] = new BsonArray(await (await c.DistinctAsync<BsonValue>("tags", "{}")).ToListAsync());
        var pipeline = BsonSerializerArray("[{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 }, oldest: { $max: '$age' } } }, { $sort: { n: -1, _id: 1 } }]");
        steps["aggregate"] = new BsonArray(await (await c.AggregateAsync<BsonDocument>(pipeline)).ToListAsync());
        try
        {
            await c.InsertOneAsync(new BsonDocument { { "_id", 2 }, { "name", "Grace again" } });
            steps["duplicate"] = "no error";
        }
        catch (MongoWriteException e)
        {
            steps["duplicate"] = new BsonDocument("code", e.WriteError.Code);
        }

        try
        {
            await c.BulkWriteAsync(
            [
                new InsertOneModel<BsonDocument>(new BsonDocument { { "_id", 10 }, { "name", "Hedy" } }),
                new InsertOneModel<BsonDocument>(new BsonDocument { { "_id", 2 }, { "name", "Grace again" } }),
                new UpdateOneModel<BsonDocument>("{ _id: 10 }", "{ $set: { age: 60 } }"),
                new DeleteOneModel<BsonDocument>("{ _id: 5 }"),
            ], new BulkWriteOptions { IsOrdered = false });
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

        steps["index"] = await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>("{ name: 1 }", new CreateIndexOptions { Unique = true }));
        steps["indexes"] = new BsonArray((await (await c.Indexes.ListAsync()).ToListAsync()).Select(i => i["name"]));
        try
        {
            await c.UpdateOneAsync("{ _id: 10 }", "{ $set: { name: 'Grace' } }");
            steps["uniqueViolation"] = "no error";
        }
        catch (MongoWriteException e)
        {
            steps["uniqueViolation"] = new BsonDocument("code", e.WriteError.Code);
        }

        steps["final"] = new BsonArray(await c.Find("{}").Sort("{ _id: 1 }").ToListAsync());
        steps["collections"] = new BsonArray(await (await db.ListCollectionNamesAsync()).ToListAsync());
        return steps;
    }

    private static BsonDocument[] BsonSerializerArray(string json) =>
        [.. BsonDocument.Parse("{ p: " + json + " }")["p"].AsBsonArray.Select(s => s.AsBsonDocument)];

    private static BsonDocument Update(UpdateResult result) =>
        new() { { "matched", result.MatchedCount }, { "modified", result.ModifiedCount }, { "upsertedId", result.UpsertedId ?? BsonNull.Value } };

    /// <summary>Runs tests/node/crud.js against the server; its stdout is the scenario's {step: value} document.</summary>
    private static async Task<BsonDocument> NodeAsync(string uri, string database)
    {
        var (output, _) = await NodeDriver.RunScriptAsync("crud.js", "mongodb", new BsonDocument { { "uri", uri }, { "db", database } },
            JsonOutputMode.RelaxedExtendedJson);
        return BsonDocument.Parse(output);
    }
}
