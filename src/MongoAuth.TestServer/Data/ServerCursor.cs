using MongoDB.Bson;

namespace MongoAuth.TestServer.Data;

/// <summary>
/// An open cursor: the rest of a result (computed when the cursor was opened) and where it came from. getMore hands
/// out the next batch; the cursor closes when it is exhausted or killed.
/// </summary>
internal sealed class ServerCursor(long id, string database, string collection, List<BsonDocument> remaining)
{
    private int _position;

    public long Id { get; } = id;

    public string Database { get; } = database;

    /// <summary>The collection part of the namespace ("people", or "$cmd.listCollections").</summary>
    public string Collection { get; } = collection;

    public string Namespace => $"{Database}.{Collection}";

    public bool IsExhausted => _position >= remaining.Count;

    /// <summary>
    /// The next batch: at most <paramref name="batchSize"/> documents (0 = no count limit), and never more than the
    /// reply size mongod allows (16 MiB of documents, at least one).
    /// </summary>
    public BsonArray NextBatch(int batchSize)
    {
        var batch = new BsonArray();
        long bytes = 0;
        while (_position < remaining.Count && (batchSize <= 0 || batch.Count < batchSize))
        {
            var document = remaining[_position];
            bytes += document.ToBson().Length;
            if (batch.Count > 0 && bytes > MaxBatchBytes)
            {
                break;
            }

            batch.Add(document);
            _position++;
        }

        return batch;
    }

    /// <summary>mongod caps a batch at 16 MiB of documents so the reply fits in a message.</summary>
    public const int MaxBatchBytes = 16 * 1024 * 1024;
}
