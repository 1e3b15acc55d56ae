using MongoAuth.Tests.Support;
using MongoDB.Bson;

namespace MongoAuth.Tests.Data;

/// <summary>ToList of a server cursor reads every getMore onto one list: the remaining results, in order, once each.</summary>
public sealed class CursorToListTests
{
    [Theory, BothModes]
    public async Task ToList_after_a_first_MoveNext_returns_the_remaining_results_across_getMores(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var numbers = client.GetDatabase("app").GetCollection<BsonDocument>("numbers");
        await numbers.InsertManyAsync(Enumerable.Range(0, 11).Select(i => new BsonDocument("_id", i)));
        var options = new FindOptions<BsonDocument> { BatchSize = 3, Sort = "{ _id: 1 }" };
        var cursor = await mode.Run(() => numbers.FindSync(FilterDefinition<BsonDocument>.Empty, options),
            () => numbers.FindAsync(FilterDefinition<BsonDocument>.Empty, options));

        var moved = await mode.Run(() => cursor.MoveNext(), () => cursor.MoveNextAsync());
        var first = cursor.Current.Select(d => d["_id"].AsInt32).ToList();
        var rest = await mode.Run(() => cursor.ToList(), () => cursor.ToListAsync());

        Assert.True(moved);
        Assert.Equal([0, 1, 2], first);
        Assert.Equal(Enumerable.Range(3, 8), rest.Select(d => d["_id"].AsInt32));
        Assert.Equal(3, server.Statistics.CommandsReceived("getMore"));
        Assert.Equal(0, server.Statistics.CommandsReceived("killCursors"));
    }
}
