using MongoAuth.Tests.Support;
using MongoDB.Bson;
using static MongoAuth.Tests.Topology.ReplicaSetHarness;

namespace MongoAuth.Tests.Data;

/// <summary>
/// A retried insert batch (retryable-writes spec) is the same statement: the same <c>txnNumber</c> and the same
/// documents with the same ids, serialised again into the retry's message from the application's objects, which
/// carry the ids the first attempt gave them.
/// </summary>
public sealed class InsertRetryTests
{
    [Theory, BothModes]
    public async Task A_batch_whose_connection_closes_is_resent_with_the_same_documents_ids_and_txnNumber(Mode mode)
    {
        await using var set = await StartAsync(members: 1);
        await using var client = new MongoClient(Settings(set));
        var people = client.GetDatabase("app").GetCollection<Person>("people");
        var persons = Enumerable.Range(0, 50).Select(i => new Person { Name = $"p{i}", Age = i }).ToList();
        await client.GetDatabase("admin").RunCommandIn(mode, new BsonDocument
        {
            { "configureFailPoint", "failCommand" }, { "mode", new BsonDocument("times", 1) },
            { "data", new BsonDocument { { "failCommands", new BsonArray { "insert" } }, { "closeConnection", true } } },
        });

        await mode.Run(() => people.InsertMany(persons), () => people.InsertManyAsync(persons));

        var primary = set.Member(set.PrimaryIndex!.Value)!;
        var retried = primary.Statistics.LastCommand("insert")!.Command;
        Assert.Equal(2, primary.Statistics.CommandsReceived("insert"));
        // The first statement of a fresh session is 1; a new statement instead of a retry would have been 2.
        Assert.Equal(1L, retried["txnNumber"].ToInt64());
        Assert.Equal(persons.Select(p => (BsonValue)p.Id), retried["documents"].AsBsonArray.Select(d => d["_id"]));
        var stored = await people.Find(FilterDefinition<Person>.Empty).ToListAsync();
        Assert.Equal(persons.Select(p => p.Id).Order(), stored.Select(p => p.Id).Order());
    }
}
