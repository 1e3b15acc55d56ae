using MongoAuth.Tests.Support;
using MongoAuth.TestServer;
using MongoDB.Bson;

namespace MongoAuth.Tests.Data;

/// <summary>
/// Inserted documents are serialised straight into the outgoing message and the batch ends where the server's limits
/// say, decided while writing: exactly at maxWriteBatchSize and exactly at maxMessageSizeBytes (the hello's values),
/// a document over maxBsonObjectSize refused before its message is sent, and the application's objects given their
/// ids as they are written. Asserted on the wire (what the server received) and in the collection.
/// </summary>
public sealed class StreamedBatchTests
{
    /// <summary>Header, flag bits, the body's kind byte; then the sequence's kind byte, size and <c>documents\0</c>.</summary>
    private const int FixedBytes = 16 + 4 + 1 + 1 + 4 + 10;

    private static List<BsonDocument> Blobs(int count, int size) =>
        [.. Enumerable.Range(0, count).Select(i => new BsonDocument { { "_id", i }, { "data", new string((char)('a' + i), size) } })];

    [Theory, BothModes]
    public async Task A_run_of_exactly_maxWriteBatchSize_documents_goes_in_one_command_and_one_more_opens_a_second(Mode mode)
    {
        await using var server = await DataServer.StartAsync(new TestServerOptions { MaxWriteBatchSize = 4 });
        await using var client = DataServer.Connect(server);
        var numbers = client.GetDatabase("app").GetCollection<BsonDocument>("numbers");
        var four = Enumerable.Range(0, 4).Select(i => new BsonDocument("_id", i)).ToList();
        var five = Enumerable.Range(10, 5).Select(i => new BsonDocument("_id", i)).ToList();

        await mode.Run(() => numbers.InsertMany(four), () => numbers.InsertManyAsync(four));
        var afterFour = server.Statistics.CommandsReceived("insert");
        await mode.Run(() => numbers.InsertMany(five), () => numbers.InsertManyAsync(five));

        Assert.Equal(1, afterFour);
        Assert.Equal(3, server.Statistics.CommandsReceived("insert"));
        Assert.Equal([14], server.Statistics.LastCommand("insert")!.Command["documents"].AsBsonArray.Select(d => d["_id"].AsInt32));
        Assert.Equal(9, await numbers.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
    }

    [Theory, BothModes]
    public async Task A_message_of_exactly_maxMessageSizeBytes_is_sent_whole_and_one_byte_less_moves_the_last_document_on(Mode mode)
    {
        var documents = Blobs(4, 20_000);
        // The exact size of the message carrying all four, from what a server with room to spare received.
        int exact;
        await using (var roomy = await DataServer.StartAsync())
        {
            await using var client = DataServer.Connect(roomy);
            await mode.Run(() => client.GetDatabase("app").GetCollection<BsonDocument>("blobs").InsertMany(documents),
                () => client.GetDatabase("app").GetCollection<BsonDocument>("blobs").InsertManyAsync(documents));
            var received = roomy.Statistics.LastCommand("insert")!.Command.DeepClone().AsBsonDocument;
            received.Remove("documents");
            exact = FixedBytes + received.ToBson().Length + documents.Sum(d => d.ToBson().Length);
            Assert.Equal(1, roomy.Statistics.CommandsReceived("insert"));
        }

        foreach (var (limit, commands, last) in new[] { (exact, 1, 4), (exact - 1, 2, 1) })
        {
            await using var server = await DataServer.StartAsync(new TestServerOptions { MaxMessageSizeBytes = limit });
            await using var client = DataServer.Connect(server);
            var blobs = client.GetDatabase("app").GetCollection<BsonDocument>("blobs");

            await mode.Run(() => blobs.InsertMany(documents), () => blobs.InsertManyAsync(documents));

            Assert.Equal((limit, commands), (limit, server.Statistics.CommandsReceived("insert")));
            Assert.Equal((limit, last), (limit, server.Statistics.LastCommand("insert")!.Command["documents"].AsBsonArray.Count));
            Assert.Equal(4, await blobs.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
        }
    }

    [Theory, BothModes]
    public async Task A_document_of_maxBsonObjectSize_is_sent_and_one_byte_more_is_refused_before_its_message_goes(Mode mode)
    {
        const int max = 2000;
        await using var server = new ScriptedServer(r => FakeSaslServer.Handle(r, new BsonDocument("maxBsonObjectSize", max)));
        await using var client = new MongoClient(LyingServerHarnessSettings(server));
        var things = client.GetDatabase("app").GetCollection<BsonDocument>("things");
        var fits = Sized(max);
        var small = new BsonDocument("_id", "small");
        var tooLarge = Sized(max + 1);

        await mode.Run(() => things.InsertMany([fits]), () => things.InsertManyAsync([fits]));
        var sentBefore = server.CommandNames.Count(n => n == "insert");
        var error = await Record.ExceptionAsync(() => mode.Run(() => things.InsertMany([small, tooLarge]), () => things.InsertManyAsync([small, tooLarge])));
        var sentAfter = server.CommandNames.Count(n => n == "insert");
        await mode.Run(() => things.InsertOne(new BsonDocument("_id", "next")), () => things.InsertOneAsync(new BsonDocument("_id", "next")));

        Assert.Equal(max, fits.ToBson().Length);
        Assert.Equal(1, sentBefore);
        var refused = Assert.IsType<MongoProtocolException>(error);
        Assert.Contains($"is {max + 1} bytes, more than the server's maxBsonObjectSize of {max}", refused.Message, StringComparison.Ordinal);
        // Nothing of the refused message went, not even the small document before the large one; the connection still serves.
        Assert.Equal(1, sentAfter);
        Assert.Equal(2, server.CommandNames.Count(n => n == "insert"));
        Assert.Equal(1, server.ConnectionCount);
    }

    [Theory, BothModes]
    public async Task Every_POCO_of_a_multi_batch_insert_gets_the_id_it_is_stored_under(Mode mode)
    {
        await using var server = await DataServer.StartAsync(new TestServerOptions { MaxWriteBatchSize = 3 });
        await using var client = DataServer.Connect(server);
        var people = client.GetDatabase("app").GetCollection<Person>("people");
        var chosen = ObjectId.GenerateNewId();
        var persons = Enumerable.Range(0, 7).Select(i => new Person { Name = $"p{i}", Age = i }).ToList();
        persons[4].Id = chosen;

        await mode.Run(() => people.InsertMany(persons), () => people.InsertManyAsync(persons));

        Assert.Equal(3, server.Statistics.CommandsReceived("insert"));
        Assert.DoesNotContain(persons, p => p.Id == ObjectId.Empty);
        Assert.Equal(7, persons.Select(p => p.Id).Distinct().Count());
        Assert.Equal(chosen, persons[4].Id);
        var stored = await people.Find(FilterDefinition<Person>.Empty).ToListAsync();
        Assert.Equal(persons.Select(p => (p.Id, p.Name)).OrderBy(p => p.Name), stored.Select(p => (p.Id, p.Name)).OrderBy(p => p.Name));
    }

    [Theory, BothModes]
    public async Task An_unordered_insert_of_a_generated_sequence_is_read_once_and_reports_errors_at_the_application_s_indexes(Mode mode)
    {
        await using var server = await DataServer.StartAsync(new TestServerOptions { MaxWriteBatchSize = 2 });
        await using var client = DataServer.Connect(server);
        var numbers = client.GetDatabase("app").GetCollection<BsonDocument>("numbers");
        var enumerated = 0;
        IEnumerable<BsonDocument> Generate()
        {
            foreach (var id in new[] { 1, 2, 1, 3, 2 })
            {
                enumerated++;
                yield return new BsonDocument("_id", id);
            }
        }

        var options = new InsertManyOptions { IsOrdered = false };
        var error = await Record.ExceptionAsync(() => mode.Run(() => numbers.InsertMany(Generate(), options), () => numbers.InsertManyAsync(Generate(), options)));

        var bulk = Assert.IsType<MongoBulkWriteException<BsonDocument>>(error);
        Assert.Equal(5, enumerated);
        Assert.Equal([2, 4], bulk.WriteErrors.Select(e => e.Index));
        Assert.Equal(3, await numbers.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
        Assert.Equal(3, server.Statistics.CommandsReceived("insert"));
    }

    /// <summary>A document of exactly <paramref name="bytes"/> bytes of BSON.</summary>
    private static BsonDocument Sized(int bytes)
    {
        var empty = new BsonDocument { { "_id", "big" }, { "pad", "" } }.ToBson().Length;
        return new BsonDocument { { "_id", "big" }, { "pad", new string('x', bytes - empty) } };
    }

    private static MongoClientSettings LyingServerHarnessSettings(ScriptedServer server) => LyingServer.LyingServerHarness.Settings(server);
}
