using MongoAuth.TestServer.Data;
using MongoAuth.TestServer.Data.Aggregation;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer.Data;

/// <summary>Aggregation stages, accumulators and expressions against cases written from the manual's rules.</summary>
public sealed class PipelineTests
{
    private static readonly List<BsonDocument> Sales =
    [
        BsonDocument.Parse("{_id: 1, item: 'a', qty: 2, price: 10, tags: ['x', 'y']}"),
        BsonDocument.Parse("{_id: 2, item: 'b', qty: 1, price: 20, tags: []}"),
        BsonDocument.Parse("{_id: 3, item: 'a', qty: 5, price: 10}"),
        BsonDocument.Parse("{_id: 4, item: 'c', qty: 4, price: 2.5, tags: 'z'}"),
    ];

    private static List<BsonDocument> Run(string pipeline) =>
        Pipeline.Parse(BsonDocument.Parse($"{{p: {pipeline}}}")["p"].AsBsonArray).Run([.. Sales]);

    private static void AssertRows(string expected, List<BsonDocument> actual) =>
        Assert.Equal(BsonDocument.Parse($"{{r: {expected}}}")["r"].AsBsonArray.Select(v => v.AsBsonDocument), actual);

    [Theory]
    [InlineData("[{$match: {item: 'a'}}, {$project: {_id: 0, qty: 1}}]", "[{qty: 2}, {qty: 5}]")]
    [InlineData("[{$group: {_id: '$item', n: {$sum: 1}, qty: {$sum: '$qty'}}}, {$sort: {_id: 1}}]",
        "[{_id: 'a', n: 2, qty: 7}, {_id: 'b', n: 1, qty: 1}, {_id: 'c', n: 1, qty: 4}]")]
    [InlineData("[{$group: {_id: null, avg: {$avg: '$price'}, min: {$min: '$qty'}, max: {$max: '$qty'}, first: {$first: '$item'}, last: {$last: '$item'}}}]",
        "[{_id: null, avg: 10.625, min: 1, max: 5, first: 'a', last: 'c'}]")]
    [InlineData("[{$group: {_id: {i: '$item'}, ids: {$push: '$_id'}, kinds: {$addToSet: '$price'}, n: {$count: {}}}}, {$match: {'_id.i': 'a'}}]",
        "[{_id: {i: 'a'}, ids: [1, 3], kinds: [10], n: 2}]")]
    [InlineData("[{$group: {_id: 1, n: {$sum: 1}}}]", "[{_id: 1, n: 4}]")] // countDocuments' pipeline
    [InlineData("[{$group: {_id: null, total: {$sum: {$multiply: ['$qty', '$price']}}}}]", "[{_id: null, total: 100.0}]")]
    [InlineData("[{$sort: {qty: -1}}, {$skip: 1}, {$limit: 2}, {$project: {qty: 1}}]", "[{_id: 4, qty: 4}, {_id: 1, qty: 2}]")]
    [InlineData("[{$match: {qty: {$gt: 1}}}, {$count: 'n'}]", "[{n: 3}]")]
    [InlineData("[{$match: {qty: 100}}, {$count: 'n'}]", "[]")]
    [InlineData("[{$unwind: '$tags'}, {$project: {tags: 1}}]", "[{_id: 1, tags: 'x'}, {_id: 1, tags: 'y'}, {_id: 4, tags: 'z'}]")]
    [InlineData("[{$unwind: {path: '$tags', preserveNullAndEmptyArrays: true, includeArrayIndex: 'i'}}, {$project: {tags: 1, i: 1}}]",
        "[{_id: 1, tags: 'x', i: NumberLong(0)}, {_id: 1, tags: 'y', i: NumberLong(1)}, {_id: 2, i: null}, {_id: 3, i: null}, {_id: 4, tags: 'z', i: null}]")]
    [InlineData("[{$match: {_id: 1}}, {$addFields: {total: {$multiply: ['$qty', '$price']}, 'meta.src': 'x'}}, {$project: {total: 1, meta: 1}}]",
        "[{_id: 1, total: 20, meta: {src: 'x'}}]")]
    [InlineData("[{$match: {_id: 4}}, {$set: {label: {$concat: ['$item', '-', {$toUpper: '$item'}]}, cheap: {$cond: [{$lt: ['$price', 5]}, true, false]}}}, {$unset: ['tags', 'qty', 'price', 'item']}]",
        "[{_id: 4, label: 'c-C', cheap: true}]")]
    [InlineData("[{$match: {_id: 2}}, {$replaceWith: {i: '$item', n: {$size: '$tags'}, d: {$ifNull: ['$nope', 'dflt']}}}]", "[{i: 'b', n: 0, d: 'dflt'}]")]
    [InlineData("[{$sortByCount: '$item'}, {$limit: 1}]", "[{_id: 'a', count: 2}]")]
    public void Stages_produce_what_mongod_produces(string pipeline, string expected) => AssertRows(expected, Run(pipeline));

    [Theory]
    [InlineData("[{$frobnicate: {}}]", 40324, "Unrecognized pipeline stage name: '$frobnicate'")]
    [InlineData("[{$match: {}, $limit: 1}]", 40323, "A pipeline stage specification object must contain exactly one field.")]
    [InlineData("[{$group: {n: {$sum: 1}}}]", 15955, "a group specification must include an _id")]
    [InlineData("[{$group: {_id: null, n: {$median: '$a'}}}]", 15952, "unknown group operator '$median'")]
    [InlineData("[{$group: {_id: null, n: 5}}]", 40234, "The field 'n' must be an accumulator object")]
    [InlineData("[{$limit: 0}]", 15958, "the limit must be positive")]
    [InlineData("[{$unwind: 'tags'}]", 28818, "path option to $unwind stage should be prefixed with a '$': tags")]
    [InlineData("[{$count: '$n'}]", 40158, "the count field cannot be a $-prefixed path")]
    [InlineData("[{$project: {a: 1, b: 0}}]", 31254, "Cannot do exclusion on field b in inclusion projection")]
    [InlineData("[{$project: {a: {$frob: 1}}}]", 168, "Unrecognized expression '$frob'")]
    [InlineData("[{$sort: {a: 0}}]", 15975, "$sort key ordering must be 1 (for ascending) or -1 (for descending)")]
    [InlineData("[{$lookup: {from: 'x'}}]", 115, "The $lookup aggregation stage is not supported")]
    public void Bad_pipelines_fail_with_mongods_code(string pipeline, int code, string message)
    {
        var error = Assert.Throws<DataException>(() => Run(pipeline));

        Assert.Equal(code, error.Code);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Running_a_pipeline_leaves_the_input_documents_unchanged()
    {
        var before = Sales.ConvertAll(d => d.DeepClone().AsBsonDocument);

        Run("[{$unwind: '$tags'}, {$addFields: {qty: 0}}, {$set: {'x.y': 1}}]");

        Assert.Equal(before, Sales);
    }
}
