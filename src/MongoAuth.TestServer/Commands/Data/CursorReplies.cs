using MongoAuth.TestServer.Data;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Commands.Data;

/// <summary>The <c>cursor</c> sub-document of find, aggregate, listCollections, listIndexes and getMore replies.</summary>
internal static class CursorReplies
{
    /// <summary>mongod's default first batch: 101 documents.</summary>
    public const int DefaultFirstBatchSize = 101;

    /// <summary>
    /// <c>{cursor: {firstBatch, id, ns}}</c>: the first batch of <paramref name="results"/>; a cursor stays open
    /// for the rest unless <paramref name="singleBatch"/> (then id 0).
    /// </summary>
    public static BsonDocument First(DataStore store, string database, string collection, List<BsonDocument> results,
        long? batchSize, bool singleBatch = false)
    {
        var size = (int)Math.Min(batchSize ?? DefaultFirstBatchSize, int.MaxValue);
        var cursor = new ServerCursor(0, database, collection, results);
        // batchSize 0 asks for an empty first batch and an open cursor.
        var batch = size == 0 ? [] : cursor.NextBatch(size);
        long id = 0;
        if (!singleBatch && !cursor.IsExhausted)
        {
            id = store.OpenCursor(database, collection, results.GetRange(batch.Count, results.Count - batch.Count)).Id;
        }

        return Reply("firstBatch", batch, id, $"{database}.{collection}");
    }

    public static BsonDocument Reply(string batchName, BsonArray batch, long id, string ns) => new()
    {
        {
            "cursor", new BsonDocument
            {
                { batchName, batch },
                { "id", new BsonInt64(id) },
                { "ns", ns },
            }
        },
    };
}
