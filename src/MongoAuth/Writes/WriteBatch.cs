using MongoAuth.Wire;
using MongoDB.Bson.Serialization;

namespace MongoAuth.Writes;

/// <summary>
/// One write command's batch: the statements of a run from <paramref name="start"/> on, written straight into the
/// outgoing message as its OP_MSG document sequence. How many go is decided while writing
/// (<see cref="DocumentSequenceWriter"/>): at most <see cref="DocumentSequenceWriter.Limit"/> (maxWriteBatchSize and
/// what is left of the run), and no more than the server's maxMessageSizeBytes holds (crud spec, "Bulk write batch
/// splitting"); always at least one, so an oversized document fails with a clear error instead of looping.
/// </summary>
internal sealed class WriteBatch(WriteRun run, int start) : DocumentSequenceWriter(WriteStatement.SequenceName(run.Kind))
{
    protected override void WriteDocument(int index, BsonSerializationContext context) => run.Write(start + index, context);
}
