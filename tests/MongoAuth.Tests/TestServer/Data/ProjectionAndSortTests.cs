using MongoAuth.TestServer.Data;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer.Data;

/// <summary>Projection and sort against cases written from the manual's rules.</summary>
public sealed class ProjectionAndSortTests
{
    private const string Person = "{_id: 7, name: 'Ada', age: 36, address: {city: 'London', zip: 'N1'}, pets: [{n: 'a', k: 1}, {n: 'b', k: 2}, 'x'], tags: [1, 2, 3, 4]}";

    [Theory]
    [InlineData("{name: 1}", "{_id: 7, name: 'Ada'}")]
    [InlineData("{name: 1, _id: 0}", "{name: 'Ada'}")]
    [InlineData("{age: 1, name: true}", "{_id: 7, name: 'Ada', age: 36}")] // document order, not projection order
    [InlineData("{'address.city': 1}", "{_id: 7, address: {city: 'London'}}")]
    [InlineData("{address: {zip: 1}}", "{_id: 7, address: {zip: 'N1'}}")] // nested form of a dotted path
    [InlineData("{'pets.n': 1}", "{_id: 7, pets: [{n: 'a'}, {n: 'b'}]}")] // scalars in the array are dropped
    [InlineData("{name: 0, address: 0, pets: 0, tags: 0}", "{_id: 7, age: 36}")]
    [InlineData("{'address.zip': 0, pets: 0, tags: 0, _id: 0}", "{name: 'Ada', age: 36, address: {city: 'London'}}")]
    [InlineData("{'pets.k': 0, name: 0, age: 0, address: 0, tags: 0}", "{_id: 7, pets: [{n: 'a'}, {n: 'b'}, 'x']}")]
    [InlineData("{_id: 1}", "{_id: 7}")]
    [InlineData("{name: 1, years: '$age', fixed: {$literal: 1}}", "{_id: 7, name: 'Ada', years: 36, fixed: 1}")]
    [InlineData("{tags: {$slice: 2}, _id: 0, name: 0, age: 0, address: 0, pets: 0}", "{tags: [1, 2]}")]
    [InlineData("{tags: {$slice: -1}, name: 1}", "{_id: 7, name: 'Ada', tags: [4]}")]
    [InlineData("{tags: {$slice: [1, 2]}, name: 1}", "{_id: 7, name: 'Ada', tags: [2, 3]}")]
    [InlineData("{pets: {$elemMatch: {k: 2}}, name: 1}", "{_id: 7, name: 'Ada', pets: [{n: 'b', k: 2}]}")]
    public void Projections_shape_documents_as_mongod_does(string projection, string expected)
    {
        var compiled = Projection.Parse(BsonDocument.Parse(projection), find: true)!;

        Assert.Equal(BsonDocument.Parse(expected), compiled.Apply(BsonDocument.Parse(Person)));
    }

    [Theory]
    [InlineData("{name: 1, age: 0}", 31254, "Cannot do exclusion on field age in inclusion projection")]
    [InlineData("{age: 0, name: 1}", 31253, "Cannot do inclusion on field name in exclusion projection")]
    [InlineData("{address: 1, 'address.city': 1}", 31249, "Path collision at address.city remaining portion city")]
    [InlineData("{a: {}}", 51270, "An empty sub-projection is not a valid value")]
    [InlineData("{'a.$': 1}", 115, "The positional projection operator")]
    public void Invalid_projections_fail_with_mongods_code(string projection, int code, string message)
    {
        var error = Assert.Throws<DataException>(() => Projection.Parse(BsonDocument.Parse(projection), find: true));

        Assert.Equal(code, error.Code);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    private static readonly BsonDocument[] Rows =
    [
        BsonDocument.Parse("{_id: 1, a: 2, b: 'x'}"),
        BsonDocument.Parse("{_id: 2, a: 1, b: 'y'}"),
        BsonDocument.Parse("{_id: 3, b: 'z'}"),
        BsonDocument.Parse("{_id: 4, a: 'text', b: 'x'}"),
        BsonDocument.Parse("{_id: 5, a: [0, 9], b: 'y'}"),
        BsonDocument.Parse("{_id: 6, a: 2, b: 'a'}"),
        BsonDocument.Parse("{_id: 7, a: {c: 1}, b: 'q'}"),
    ];

    [Theory]
    // Missing sorts as null (first), numbers before strings before objects; arrays by their min (asc) / max (desc).
    [InlineData("{a: 1}", new[] { 3, 5, 2, 1, 6, 4, 7 })]
    [InlineData("{a: -1}", new[] { 7, 4, 5, 1, 6, 2, 3 })]
    [InlineData("{a: 1, b: 1}", new[] { 3, 5, 2, 6, 1, 4, 7 })]
    [InlineData("{b: -1, _id: 1}", new[] { 3, 2, 5, 1, 4, 7, 6 })]
    [InlineData("{$natural: -1}", new[] { 7, 6, 5, 4, 3, 2, 1 })]
    public void Sorts_follow_BSON_order_and_keep_ties_stable(string sort, int[] expected)
    {
        var order = SortOrder.Parse(BsonDocument.Parse(sort))!;

        Assert.Equal(expected, order.Sort(Rows).Select(d => d["_id"].AsInt32));
    }

    [Theory]
    [InlineData("{a: 2}")]
    [InlineData("{a: 'up'}")]
    public void A_sort_direction_other_than_1_or_minus_1_is_refused(string sort)
    {
        var error = Assert.Throws<DataException>(() => SortOrder.Parse(BsonDocument.Parse(sort)));

        Assert.Equal(15975, error.Code);
    }
}
