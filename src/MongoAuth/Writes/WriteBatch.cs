using MongoAuth.Connections;
using MongoAuth.Wire;

namespace MongoAuth.Writes;

/// <summary>
/// How many statements of a run fit one write command on a given connection: at most the server's
/// maxWriteBatchSize, and no more bytes than its maxMessageSizeBytes leaves after the command body (crud spec, "Bulk
/// write batch splitting"; OP_MSG spec, document sequences). Always at least one, so an oversized document reaches
/// the size check of the encoder and fails with a clear error instead of looping.
/// </summary>
internal static class WriteBatch
{
    /// <summary>
    /// Room kept for the fields the connection adds after the batch is cut: <c>$db</c>, <c>lsid</c>, <c>txnNumber</c>,
    /// <c>maxTimeMS</c>, Stable API fields.
    /// </summary>
    private const int BodyHeadroom = 1024;

    /// <summary>Header, flag bits, the body's kind byte, and the sequence's kind byte and size.</summary>
    private const int FixedOverhead = MessageHeader.Size + 4 + 1 + 1 + 4;

    public static int Count(IReadOnlyList<WriteStatement> run, int start, int bodySize, string sequenceName, HelloResult? limits)
    {
        var maxCount = limits?.MaxWriteBatchSize ?? WireLimits.DefaultMaxWriteBatchSize;
        var maxBytes = (long)(limits?.MaxMessageSizeBytes ?? WireLimits.DefaultMaxMessageSize);
        long bytes = FixedOverhead + bodySize + BodyHeadroom + sequenceName.Length + 1;
        var count = 0;
        while (start + count < run.Count && count < maxCount)
        {
            var size = run[start + count].Document.Slice.Length;
            if (count > 0 && bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            count++;
        }

        return count;
    }
}
