using MongoAuth.TestServer.Data;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer.Data;

/// <summary>The query matcher against cases written from the manual's rules for each operator.</summary>
public sealed class QueryFilterTests
{
    private static bool Matches(string document, string filter) =>
        QueryFilter.Parse(BsonDocument.Parse(filter)).Matches(BsonDocument.Parse(document));

    [Theory]
    // Equality, dotted paths, whole-document and whole-array equality.
    [InlineData("{a: 1}", "{a: 1}", true)]
    [InlineData("{a: 1}", "{a: 1.0}", true)] // numbers compare by value across types
    [InlineData("{a: NumberLong(1)}", "{a: 1}", true)]
    [InlineData("{a: '1'}", "{a: 1}", false)]
    [InlineData("{a: {b: {c: 5}}}", "{'a.b.c': 5}", true)]
    [InlineData("{a: {b: 1, c: 2}}", "{a: {b: 1, c: 2}}", true)]
    [InlineData("{a: {b: 1, c: 2}}", "{a: {c: 2, b: 1}}", false)] // document equality is field-order sensitive
    [InlineData("{a: [1, 2]}", "{a: [1, 2]}", true)]
    [InlineData("{a: [1, 2]}", "{a: [2, 1]}", false)]
    [InlineData("{a: [[1, 2], 3]}", "{a: [1, 2]}", true)] // an element equal to the whole array
    // Array semantics: any element satisfies the condition.
    [InlineData("{a: [1, 5, 9]}", "{a: 5}", true)]
    [InlineData("{a: [1, 5, 9]}", "{a: {$gt: 8}}", true)]
    [InlineData("{a: [1, 5, 9]}", "{a: {$gt: 2, $lt: 4}}", true)] // each condition may hold for a different element
    [InlineData("{a: [1, 5, 9]}", "{a: {$elemMatch: {$gt: 2, $lt: 4}}}", false)]
    [InlineData("{a: [1, 3, 9]}", "{a: {$elemMatch: {$gt: 2, $lt: 4}}}", true)]
    [InlineData("{a: [{b: 1, c: 2}, {b: 2, c: 1}]}", "{a: {$elemMatch: {b: 1, c: 1}}}", false)]
    [InlineData("{a: [{b: 1, c: 2}, {b: 2, c: 1}]}", "{'a.b': 1, 'a.c': 1}", true)]
    [InlineData("{a: [{b: 1}, {b: 2}]}", "{'a.b': 2}", true)]
    [InlineData("{a: [{b: 1}, {b: 2}]}", "{'a.1.b': 2}", true)] // a numeric component indexes the array
    [InlineData("{a: [{b: 1}, {b: 2}]}", "{'a.0.b': 2}", false)]
    // null matches null and missing fields.
    [InlineData("{}", "{a: null}", true)]
    [InlineData("{a: null}", "{a: null}", true)]
    [InlineData("{a: 0}", "{a: null}", false)]
    [InlineData("{a: [{b: 1}, {c: 1}]}", "{'a.b': null}", true)]
    [InlineData("{}", "{a: {$ne: null}}", false)]
    [InlineData("{a: 1}", "{a: {$ne: null}}", true)]
    [InlineData("{}", "{a: {$gte: null}}", true)]
    [InlineData("{}", "{a: {$gt: null}}", false)]
    // Comparison and type bracketing: $gt on a number never matches a string.
    [InlineData("{a: 'z'}", "{a: {$gt: 5}}", false)]
    [InlineData("{a: 'b'}", "{a: {$gt: 'a'}}", true)]
    [InlineData("{a: 6}", "{a: {$gt: 5}}", true)]
    [InlineData("{a: 5}", "{a: {$gte: 5, $lte: 5}}", true)]
    [InlineData("{a: 5}", "{a: {$lt: 5}}", false)]
    [InlineData("{a: 'x'}", "{a: {$gt: {$minKey: 1}}}", true)]
    [InlineData("{a: ISODate('2024-01-02T00:00:00Z')}", "{a: {$gt: ISODate('2024-01-01T00:00:00Z')}}", true)]
    // $ne / $nin are true when no element matches (and for a missing field).
    [InlineData("{a: [1, 2]}", "{a: {$ne: 2}}", false)]
    [InlineData("{}", "{a: {$ne: 2}}", true)]
    [InlineData("{a: 3}", "{a: {$in: [1, 2, 3]}}", true)]
    [InlineData("{}", "{a: {$in: [1, null]}}", true)]
    [InlineData("{a: 'Ada'}", "{a: {$in: [/^A/, 'x']}}", true)]
    [InlineData("{a: [4, 5]}", "{a: {$nin: [1, 5]}}", false)]
    [InlineData("{a: [4, 6]}", "{a: {$nin: [1, 5]}}", true)]
    // $exists, $type, $size, $all, $mod.
    [InlineData("{a: null}", "{a: {$exists: true}}", true)]
    [InlineData("{b: 1}", "{a: {$exists: false}}", true)]
    [InlineData("{a: [{b: 1}]}", "{'a.b': {$exists: true}}", true)]
    [InlineData("{a: 'x'}", "{a: {$type: 'string'}}", true)]
    [InlineData("{a: 1.5}", "{a: {$type: 'number'}}", true)]
    [InlineData("{a: 1}", "{a: {$type: ['string', 'bool']}}", false)]
    [InlineData("{a: [1, 2, 3]}", "{a: {$size: 3}}", true)]
    [InlineData("{a: [[1, 2, 3]]}", "{a: {$size: 3}}", false)]
    [InlineData("{a: [1, 2, 3]}", "{a: {$all: [3, 1]}}", true)]
    [InlineData("{a: [1, 2, 3]}", "{a: {$all: [3, 4]}}", false)]
    [InlineData("{a: 10}", "{a: {$mod: [4, 2]}}", true)]
    // $regex with options and regular-expression values.
    [InlineData("{a: 'Hello'}", "{a: /^hel/i}", true)]
    [InlineData("{a: 'Hello'}", "{a: {$regex: '^hel'}}", false)]
    [InlineData("{a: 'Hello'}", "{a: {$regex: '^hel', $options: 'i'}}", true)]
    [InlineData("{a: ['x', 'Hello']}", "{a: {$regex: 'll'}}", true)]
    [InlineData("{a: 'one\\ntwo'}", "{a: {$regex: '^two', $options: 'm'}}", true)]
    [InlineData("{a: 5}", "{a: /5/}", false)]
    // Logical operators.
    [InlineData("{a: 1, b: 2}", "{$and: [{a: 1}, {b: 2}]}", true)]
    [InlineData("{a: 1, b: 2}", "{$or: [{a: 2}, {b: 2}]}", true)]
    [InlineData("{a: 1, b: 2}", "{$nor: [{a: 2}, {b: 3}]}", true)]
    [InlineData("{a: 1, b: 2}", "{$nor: [{a: 1}]}", false)]
    [InlineData("{a: 5}", "{a: {$not: {$gt: 7}}}", true)]
    [InlineData("{}", "{a: {$not: {$gt: 7}}}", true)]
    [InlineData("{a: 'abc'}", "{a: {$not: /^a/}}", false)]
    [InlineData("{a: 5, b: 3}", "{$expr: {$gt: ['$a', '$b']}}", true)]
    [InlineData("{a: 5, b: 3}", "{$expr: {$lt: ['$a', '$b']}}", false)]
    [InlineData("{a: 1}", "{$comment: 'why', a: 1}", true)]
    public void Filters_match_as_mongod_documents_them(string document, string filter, bool expected) =>
        Assert.Equal(expected, Matches(document, filter));

    [Theory]
    [InlineData("{$foo: 1}", 2, "unknown top level operator: $foo")]
    [InlineData("{a: {$foo: 1}}", 2, "unknown operator: $foo")]
    [InlineData("{$and: []}", 2, "$and must be a nonempty array")]
    [InlineData("{$or: {a: 1}}", 2, "$or must be a nonempty array")]
    [InlineData("{a: {$in: 5}}", 2, "$in needs an array")]
    [InlineData("{a: {$size: 'x'}}", 2, "$size needs a number")]
    [InlineData("{a: {$not: 5}}", 2, "$not needs a regex or a document")]
    [InlineData("{a: {$options: 'i'}}", 2, "$options needs a $regex")]
    [InlineData("{a: {$elemMatch: 1}}", 2, "$elemMatch needs an Object")]
    [InlineData("{a: {$regex: 'x', $options: 'q'}}", 51108, "invalid flag in regex options: q")]
    [InlineData("{$expr: {$frobnicate: 1}}", 168, "Unrecognized expression '$frobnicate'")]
    public void Malformed_filters_fail_with_mongods_code(string filter, int code, string message)
    {
        var error = Assert.Throws<DataException>(() => QueryFilter.Parse(BsonDocument.Parse(filter)));

        Assert.Equal(code, error.Code);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Upserts_take_the_equality_fields_of_the_filter()
    {
        var filter = BsonDocument.Parse("{a: 1, 'b.c': 'x', d: {$gt: 1}, e: {$eq: 5}, $and: [{f: true}], g: /re/}");

        var fields = QueryFilter.Equalities(filter).Select(e => e.Path).ToList();

        Assert.Equal(["a", "b.c", "e", "f"], fields);
    }

    [Theory]
    [InlineData("1", "1.0", 0)]
    [InlineData("null", "1", -1)] // null sorts before numbers
    [InlineData("99", "'a'", -1)] // numbers before strings
    [InlineData("'b'", "{}", -1)] // strings before objects
    [InlineData("{}", "[]", -1)] // objects before arrays
    [InlineData("[]", "ObjectId('000000000000000000000000')", -1)] // arrays before binary/ObjectId
    [InlineData("true", "ISODate('1970-01-01T00:00:00Z')", -1)] // booleans before dates
    [InlineData("{a: 1}", "{a: 1, b: 1}", -1)]
    [InlineData("{a: 2}", "{b: 1}", -1)]
    [InlineData("[1, 2]", "[1, 3]", -1)]
    [InlineData("NumberDecimal('1.5')", "1.25", 1)]
    public void BSON_values_compare_in_mongods_type_order(string left, string right, int expected)
    {
        var a = BsonDocument.Parse($"{{v: {left}}}")["v"];
        var b = BsonDocument.Parse($"{{v: {right}}}")["v"];

        Assert.Equal(expected, Math.Sign(BsonOrder.Compare(a, b)));
        Assert.Equal(-expected, Math.Sign(BsonOrder.Compare(b, a)));
    }
}
