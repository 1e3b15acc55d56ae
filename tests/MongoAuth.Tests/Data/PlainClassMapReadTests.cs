using MongoAuth.Collections;
using MongoAuth.Tests.Support;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace MongoAuth.Tests.Data;

/// <summary>
/// Plain POCOs are read from cursor replies without the class map's per-document boxes, and with exactly its result:
/// documents in the class map's order, in another order, with a member missing, with a value of another BSON type and
/// with a discriminator all come out as the class map reads them (the last three by the class map itself).
/// </summary>
public sealed class PlainClassMapReadTests
{
    public sealed class Dated
    {
        public ObjectId Id { get; set; }

        public DateTime When { get; set; }
    }

    [Fact]
    public void Only_plain_class_maps_get_the_typed_reader()
    {
        Assert.NotNull(PlainClassMapReader<Person>.For(BsonSerializer.LookupSerializer<Person>()));
        Assert.Null(PlainClassMapReader<Dated>.For(BsonSerializer.LookupSerializer<Dated>()));
        Assert.Null(PlainClassMapReader<BsonDocument>.For(BsonSerializer.LookupSerializer<BsonDocument>()));
    }

    [Theory, BothModes]
    public async Task Every_shape_of_document_reads_as_the_class_map_reads_it(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var raw = client.GetDatabase("app").GetCollection<BsonDocument>("people");
        BsonDocument[] stored =
        [
            new() { { "_id", new ObjectId("000000000000000000000001") }, { "Name", "Ada" }, { "Age", 36 }, { "City", "London" } },
            new() { { "_id", new ObjectId("000000000000000000000002") }, { "Name", "Alan" }, { "Age", 41 } },
            new() { { "_id", new ObjectId("000000000000000000000003") }, { "City", "Paris" }, { "Age", 50.0 }, { "Name", "Marie" } },
            new() { { "Name", "Grace" }, { "_id", new ObjectId("000000000000000000000004") }, { "City", "Arlington" }, { "Age", 85 } },
            new() { { "_id", new ObjectId("000000000000000000000005") }, { "_t", "Person" }, { "Name", "Edsger" }, { "Age", 72 }, { "City", "Austin" } },
        ];
        await raw.InsertManyAsync(stored);
        var people = client.GetDatabase("app").GetCollection<Person>("people");

        var read = await mode.Run(() => people.Find(FilterDefinition<Person>.Empty).Sort("{ _id: 1 }").ToList(),
            () => people.Find(FilterDefinition<Person>.Empty).Sort("{ _id: 1 }").ToListAsync());

        var expected = stored.Select(d => BsonSerializer.Deserialize<Person>(d)).ToList();
        Assert.Equal(expected.Select(p => (p.Id, p.Name, p.Age, p.City)), read.Select(p => (p.Id, p.Name, p.Age, p.City)));
        Assert.Equal((50, null), (read[2].Age, read[1].City));
    }
}
