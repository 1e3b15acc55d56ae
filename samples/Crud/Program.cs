// Stores and reads data with the collection API: a POCO collection, filters as BsonDocument or JSON, a cursor read
// batch by batch, an update, an aggregation, a bulk write and a duplicate-key error handled by its category.
//   dotnet run --project samples/Crud -- "mongodb://user:password@localhost:27017/?authSource=admin"
// Start a server to try it against with: ./run.sh   (or: dotnet run --project src/MongoAuth.Cli -- serve)
using MongoAuth;
using MongoAuth.Samples.Crud;
using MongoDB.Bson;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Crud <mongodb connection string>");
    return 2;
}

try
{
    await using var client = new MongoClient(args[0]);
    var database = client.GetDatabase("crud_sample");
    await database.DropCollectionAsync("people");
    var people = database.GetCollection<Person>("people");

    // InsertOne assigns the ObjectId _id to the POCO; InsertMany sends all documents in as few batches as allowed.
    var ada = new Person { Name = "Ada", Age = 36, Tags = ["math", "code"] };
    await people.InsertOneAsync(ada);
    await people.InsertManyAsync(
    [
        new Person { Name = "Grace", Age = 85, Tags = ["navy", "code"] },
        new Person { Name = "Alan", Age = 41, Tags = ["math"] },
        new Person { Name = "Edsger", Age = 72 },
    ]);
    Console.WriteLine($"inserted Ada with _id {ada.Id}");

    // Filters and sorts are BsonDocuments or JSON text.
    var page = await people.Find("{ Age: { $gte: 40 } }").Sort("{ Age: -1 }").Limit(2).ToListAsync();
    Console.WriteLine($"oldest two over 40: {string.Join(", ", page.Select(p => $"{p.Name} ({p.Age})"))}");

    // A cursor fetches batches as it is read (batchSize 2 here), and is killed on the server if left early.
    await foreach (var person in people.Find(FilterDefinition<Person>.Empty, new FindOptions { BatchSize = 2 }))
    {
        Console.WriteLine($"  {person.Name}");
    }

    var update = await people.UpdateManyAsync(new BsonDocument("Tags", "code"), "{ $inc: { Age: 1 } }");
    Console.WriteLine($"birthday for coders: matched {update.MatchedCount}, modified {update.ModifiedCount}");

    var byTag = await (await people.AggregateAsync<BsonDocument>(new[]
    {
        new BsonDocument("$unwind", "$Tags"),
        new BsonDocument("$group", new BsonDocument { { "_id", "$Tags" }, { "people", new BsonDocument("$sum", 1) } }),
        new BsonDocument("$sort", new BsonDocument("_id", 1)),
    })).ToListAsync();
    Console.WriteLine($"people per tag: {string.Join(", ", byTag.Select(g => $"{g["_id"]}={g["people"]}"))}");

    await people.Indexes.CreateOneAsync(new CreateIndexModel<Person>("{ Name: 1 }", new CreateIndexOptions { Unique = true }));
    try
    {
        await people.InsertOneAsync(new Person { Name = "Ada", Age = 99 });
    }
    catch (MongoWriteException e) when (e.WriteError?.Category == ServerErrorCategory.DuplicateKey)
    {
        Console.WriteLine($"duplicate refused: code {e.WriteError.Code}");
    }

    var bulk = await people.BulkWriteAsync(
    [
        new InsertOneModel<Person>(new Person { Name = "Barbara", Age = 85 }),
        new UpdateOneModel<Person>("{ Name: 'Alan' }", "{ $set: { Age: 42 } }"),
        new DeleteOneModel<Person>("{ Name: 'Edsger' }"),
    ]);
    Console.WriteLine($"bulk: inserted {bulk.InsertedCount}, modified {bulk.ModifiedCount}, deleted {bulk.DeletedCount}");

    var count = await people.CountDocumentsAsync(FilterDefinition<Person>.Empty);
    var deleted = await people.DeleteManyAsync("{ Age: { $gt: 80 } }");
    Console.WriteLine($"{count} people; removed {deleted.DeletedCount} over 80");
    return 0;
}
catch (MongoException e)
{
    Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}");
    return 1;
}
