using MongoAuth.TestServer.Data;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer.Data;

/// <summary>Update operators and replacements against cases written from the manual's rules.</summary>
public sealed class UpdateSpecTests
{
    private static BsonDocument Apply(string document, string update, bool isInsert = false)
    {
        var spec = UpdateSpec.Parse(BsonDocument.Parse($"{{u: {update}}}")["u"]);
        return spec.Apply(BsonDocument.Parse(document), isInsert);
    }

    [Theory]
    [InlineData("{_id: 1, a: 1}", "{$set: {a: 2}}", "{_id: 1, a: 2}")]
    [InlineData("{_id: 1}", "{$set: {'a.b.c': 1}}", "{_id: 1, a: {b: {c: 1}}}")] // dotted paths create documents
    [InlineData("{_id: 1}", "{$set: {z: 1, b: 1, a: 1}}", "{_id: 1, a: 1, b: 1, z: 1}")] // new fields in name order
    [InlineData("{_id: 1, a: [1, 2]}", "{$set: {'a.1': 5}}", "{_id: 1, a: [1, 5]}")]
    [InlineData("{_id: 1, a: [1]}", "{$set: {'a.3': 5}}", "{_id: 1, a: [1, null, null, 5]}")]
    [InlineData("{_id: 1, a: 1, b: 2}", "{$unset: {a: ''}}", "{_id: 1, b: 2}")]
    [InlineData("{_id: 1, a: [1, 2]}", "{$unset: {'a.0': 1}}", "{_id: 1, a: [null, 2]}")]
    [InlineData("{_id: 1, a: 1}", "{$unset: {'x.y': 1}}", "{_id: 1, a: 1}")]
    [InlineData("{_id: 1, n: 1}", "{$inc: {n: 2}}", "{_id: 1, n: 3}")]
    [InlineData("{_id: 1, n: 2147483647}", "{$inc: {n: 1}}", "{_id: 1, n: NumberLong('2147483648')}")] // int overflow → long
    [InlineData("{_id: 1, n: 1}", "{$inc: {n: 0.5}}", "{_id: 1, n: 1.5}")]
    [InlineData("{_id: 1}", "{$inc: {n: 5}}", "{_id: 1, n: 5}")]
    [InlineData("{_id: 1, n: 3}", "{$mul: {n: 4}}", "{_id: 1, n: 12}")]
    [InlineData("{_id: 1}", "{$mul: {n: NumberLong(4)}}", "{_id: 1, n: NumberLong(0)}")] // missing → 0 of the argument's type
    [InlineData("{_id: 1, n: 5}", "{$min: {n: 3}}", "{_id: 1, n: 3}")]
    [InlineData("{_id: 1, n: 5}", "{$min: {n: 7}}", "{_id: 1, n: 5}")]
    [InlineData("{_id: 1, n: 5}", "{$max: {n: 7}}", "{_id: 1, n: 7}")]
    [InlineData("{_id: 1, n: 5}", "{$max: {n: 'a'}}", "{_id: 1, n: 'a'}")] // BSON order: strings above numbers
    [InlineData("{_id: 1, a: 1, b: 2}", "{$rename: {a: 'c'}}", "{_id: 1, b: 2, c: 1}")]
    [InlineData("{_id: 1, a: {b: 1}}", "{$rename: {'a.b': 'x.y'}}", "{_id: 1, a: {}, x: {y: 1}}")]
    [InlineData("{_id: 1}", "{$rename: {a: 'c'}}", "{_id: 1}")]
    [InlineData("{_id: 1}", "{$push: {a: 1}}", "{_id: 1, a: [1]}")]
    [InlineData("{_id: 1, a: [1]}", "{$push: {a: [2]}}", "{_id: 1, a: [1, [2]]}")]
    [InlineData("{_id: 1, a: [1]}", "{$push: {a: {$each: [2, 3]}}}", "{_id: 1, a: [1, 2, 3]}")]
    [InlineData("{_id: 1, a: [1, 4]}", "{$push: {a: {$each: [2], $position: 1}}}", "{_id: 1, a: [1, 2, 4]}")]
    [InlineData("{_id: 1, a: [5, 1]}", "{$push: {a: {$each: [3], $sort: 1, $slice: 2}}}", "{_id: 1, a: [1, 3]}")]
    [InlineData("{_id: 1, a: [1, 2]}", "{$addToSet: {a: 2}}", "{_id: 1, a: [1, 2]}")]
    [InlineData("{_id: 1, a: [1, 2]}", "{$addToSet: {a: {$each: [2, 3, 3]}}}", "{_id: 1, a: [1, 2, 3]}")]
    [InlineData("{_id: 1, a: [1, 2, 3, 2]}", "{$pull: {a: 2}}", "{_id: 1, a: [1, 3]}")]
    [InlineData("{_id: 1, a: [1, 5, 8]}", "{$pull: {a: {$gte: 5}}}", "{_id: 1, a: [1]}")]
    [InlineData("{_id: 1, a: [{b: 1, c: 1}, {b: 2}]}", "{$pull: {a: {b: 1}}}", "{_id: 1, a: [{b: 2}]}")]
    [InlineData("{_id: 1, a: [1, 2, 3]}", "{$pullAll: {a: [1, 3]}}", "{_id: 1, a: [2]}")]
    [InlineData("{_id: 1, a: [1, 2, 3]}", "{$pop: {a: 1}}", "{_id: 1, a: [1, 2]}")]
    [InlineData("{_id: 1, a: [1, 2, 3]}", "{$pop: {a: -1}}", "{_id: 1, a: [2, 3]}")]
    [InlineData("{_id: 1}", "{$setOnInsert: {a: 1}}", "{_id: 1}")] // only when the upsert inserts
    [InlineData("{_id: 1, a: 1}", "{$set: {_id: 1}}", "{_id: 1, a: 1}")] // _id set to the same value is fine
    [InlineData("{_id: 1, a: 1, b: 2}", "{b: 3, c: 4}", "{_id: 1, b: 3, c: 4}")] // replacement keeps _id first
    [InlineData("{_id: 1, a: 1}", "{}", "{_id: 1}")]
    [InlineData("{_id: 1, a: 1}", "[{$set: {b: {$add: ['$a', 1]}}}, {$unset: 'a'}]", "{_id: 1, b: 2}")] // pipeline update
    public void Operators_change_documents_as_mongod_does(string document, string update, string expected) =>
        Assert.Equal(BsonDocument.Parse(expected), Apply(document, update));

    [Fact]
    public void SetOnInsert_applies_when_inserting()
    {
        Assert.Equal(BsonDocument.Parse("{_id: 1, b: 2, a: 1}"), Apply("{_id: 1, b: 2}", "{$setOnInsert: {a: 1}}", isInsert: true));
    }

    [Fact]
    public void Applying_never_changes_the_stored_document()
    {
        var stored = BsonDocument.Parse("{_id: 1, a: {b: [1]}}");

        UpdateSpec.Parse(BsonDocument.Parse("{$push: {'a.b': 2}, $set: {c: 1}}")).Apply(stored, isInsert: false);

        Assert.Equal(BsonDocument.Parse("{_id: 1, a: {b: [1]}}"), stored);
    }

    [Theory]
    [InlineData("{_id: 1}", "{$foo: {a: 1}}", 9, "Unknown modifier: $foo")]
    [InlineData("{_id: 1}", "{$set: 5}", 9, "Modifiers operate on fields but we found type int instead")]
    [InlineData("{_id: 1}", "{$set: {a: 1}, b: 2}", 9, "Unknown modifier: b")]
    [InlineData("{_id: 1, a: 'x'}", "{$inc: {a: 1}}", 14, "Cannot apply $inc to a value of non-numeric type. {_id: 1} has the field 'a' of non-numeric type string")]
    [InlineData("{_id: 1}", "{$inc: {a: 'x'}}", 14, "Cannot increment with non-numeric argument: {a: \"x\"}")]
    [InlineData("{_id: 1}", "{$set: {_id: 2}}", 66, "Performing an update on the path '_id' would modify the immutable field '_id'")]
    [InlineData("{_id: 1}", "{_id: 2, a: 1}", 66, "After applying the update, the (immutable) field '_id' was found to have been altered to _id: 2")]
    [InlineData("{_id: 1}", "{$set: {a: 1}, $inc: {a: 1}}", 40, "Updating the path 'a' would create a conflict at 'a'")]
    [InlineData("{_id: 1}", "{$set: {a: 1, 'a.b': 1}}", 40, "Updating the path 'a.b' would create a conflict at 'a'")]
    [InlineData("{_id: 1, a: 5}", "{$set: {'a.b': 1}}", 28, "Cannot create field 'b' in element {a: 5}")]
    [InlineData("{_id: 1, a: 5}", "{$push: {a: 1}}", 2, "The field 'a' must be an array but is of type int in document {_id: 1}")]
    [InlineData("{_id: 1}", "{$rename: {a: 1}}", 2, "The 'to' field for $rename must be a string: a: 1")]
    [InlineData("{_id: 1}", "{$set: {'': 1}}", 56, "An empty update path is not valid.")]
    [InlineData("{_id: 1}", "{$set: {'a.$[]': 1}}", 115, "The positional and array-filter update operators")]
    [InlineData("{_id: 1}", "{a: 1, $set: {b: 1}}", 52, "The dollar ($) prefixed field '$set'")]
    [InlineData("{_id: 1}", "[{$group: {_id: 1}}]", 72, "$group is not allowed to be used within an update")]
    public void Malformed_or_impossible_updates_fail_with_mongods_code(string document, string update, int code, string message)
    {
        var error = Assert.Throws<DataException>(() => Apply(document, update));

        Assert.Equal(code, error.Code);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
