using MongoAuth.Tests.Support;
using MongoDB.Bson;

namespace MongoAuth.Tests.Data;

/// <summary>Write concern from the connection string, per database and per collection, as sent on each write.</summary>
public sealed class WriteConcernTests
{
    [Theory, BothModes]
    public async Task The_connection_string_s_w_wtimeoutMS_and_journal_go_on_every_write(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        var settings = MongoClientSettings.FromConnectionString(
            $"mongodb://alice:correct%20horse@127.0.0.1:{server.Port}/?authSource=admin&w=majority&wtimeoutMS=2500&journal=true");
        await using var client = new MongoClient(settings);
        var people = client.GetDatabase("app").GetCollection<BsonDocument>("people");

        await mode.Run(() => people.InsertOne(new BsonDocument("_id", 1)), () => people.InsertOneAsync(new BsonDocument("_id", 1)));
        await mode.Run(() => people.FindOneAndDelete("{ _id: 1 }"), () => people.FindOneAndDeleteAsync("{ _id: 1 }"));
        await mode.Run(() => people.Indexes.CreateOne(new CreateIndexModel<BsonDocument>("{ a: 1 }")),
            () => people.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>("{ a: 1 }")));

        var expected = new BsonDocument { { "w", "majority" }, { "wtimeout", 2500L }, { "j", true } };
        Assert.Equal(expected, server.Statistics.LastCommand("insert")!.Command["writeConcern"]);
        Assert.Equal(expected, server.Statistics.LastCommand("findAndModify")!.Command["writeConcern"]);
        Assert.Equal(expected, server.Statistics.LastCommand("createIndexes")!.Command["writeConcern"]);
        Assert.Equal(expected, people.WriteConcern.ToCommandDocument());
    }

    [Theory, BothModes]
    public async Task Per_database_and_per_collection_write_concerns_replace_the_client_s(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var app = client.GetDatabase("app");
        var plain = app.GetCollection<BsonDocument>("people");
        var w2 = app.WithWriteConcern(new WriteConcern(2)).GetCollection<BsonDocument>("people");
        var w1 = plain.WithWriteConcern(WriteConcern.W1);

        await mode.Run(() => plain.InsertOne(new BsonDocument("_id", 1)), () => plain.InsertOneAsync(new BsonDocument("_id", 1)));
        var noConcern = server.Statistics.LastCommand("insert")!.Command;
        await mode.Run(() => w2.InsertOne(new BsonDocument("_id", 2)), () => w2.InsertOneAsync(new BsonDocument("_id", 2)));
        var two = server.Statistics.LastCommand("insert")!.Command;
        await mode.Run(() => w1.UpdateOne("{ _id: 1 }", "{ $set: { a: 1 } }"), () => w1.UpdateOneAsync("{ _id: 1 }", "{ $set: { a: 1 } }"));

        Assert.False(noConcern.Contains("writeConcern"));
        Assert.Equal(new BsonDocument("w", 2), two["writeConcern"]);
        Assert.Equal(new BsonDocument("w", 1), server.Statistics.LastCommand("update")!.Command["writeConcern"]);
        Assert.Equal(WriteConcern.Acknowledged, plain.WriteConcern);
    }
}
