using MongoAuth.Tests.Support;
using MongoDB.Bson;

namespace MongoAuth.Tests.Data;

/// <summary>
/// What the store does not implement reaches the application as mongod's own errors, code and code name included:
/// an unknown query operator is 2 BadValue wherever a filter goes, an unknown pipeline stage is 40324.
/// </summary>
public sealed class ServerErrorTests
{
    private static readonly BsonDocument UnknownOperator = BsonDocument.Parse("{ age: { $foo: 1 } }");

    [Theory, BothModes]
    public async Task An_unknown_query_operator_is_BadValue_in_find_count_update_and_delete(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = await DataServer.SeededPeopleAsync(client);

        var find = await Assert.ThrowsAsync<MongoCommandException>(() =>
            mode.Run(() => people.Find(UnknownOperator).ToList(), () => people.Find(UnknownOperator).ToListAsync()));
        var count = await Assert.ThrowsAsync<MongoCommandException>(() =>
            mode.Run(() => people.CountDocuments(UnknownOperator), () => people.CountDocumentsAsync(UnknownOperator)));
        var update = await Assert.ThrowsAsync<MongoWriteException>(() =>
            mode.Run(() => people.UpdateMany(UnknownOperator, "{ $set: { x: 1 } }"), () => people.UpdateManyAsync(UnknownOperator, "{ $set: { x: 1 } }")));
        var delete = await Assert.ThrowsAsync<MongoWriteException>(() =>
            mode.Run(() => people.DeleteMany(UnknownOperator), () => people.DeleteManyAsync(UnknownOperator)));

        foreach (var error in new[] { find, count })
        {
            Assert.Equal((2, "BadValue", "unknown operator: $foo"), (error.Code, error.CodeName, error.ServerMessage));
        }

        // Write commands report a bad filter per statement (writeErrors), as mongod does.
        foreach (var error in new[] { update, delete })
        {
            Assert.Equal((2, "unknown operator: $foo"), (error.WriteError!.Code, error.WriteError.Message));
        }

        Assert.Equal(5, await people.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
        Assert.Empty(await people.Find("{ x: 1 }").ToListAsync());
        Assert.Equal(0, server.OpenCursorCount);
    }

    [Theory, BothModes]
    public async Task An_unknown_pipeline_stage_is_40324(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = await DataServer.SeededPeopleAsync(client);
        BsonDocument[] pipeline = [new("$match", new BsonDocument()), new("$foo", new BsonDocument())];

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => mode.Run(
            () => people.Aggregate<BsonDocument>(pipeline).ToList(),
            async () => await (await people.AggregateAsync<BsonDocument>(pipeline)).ToListAsync()));

        Assert.Equal((40324, "Location40324", "Unrecognized pipeline stage name: '$foo'"), (error.Code, error.CodeName, error.ServerMessage));
        Assert.Equal(0, server.OpenCursorCount);
    }
}
