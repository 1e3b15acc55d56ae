using MongoAuth.Collections;
using MongoDB.Bson;

namespace MongoAuth.Writes;

/// <summary>Where and how a write goes: the collection, its write concern and the command options every batch carries.</summary>
internal sealed record WriteTarget(CommandExecutor Executor, string Database, string Collection, WriteConcern WriteConcern)
{
    public string Namespace => $"{Database}.{Collection}";

    /// <summary>Whether writes may be retried: <c>retryWrites</c> on and the write acknowledged (retryable-writes spec).</summary>
    public bool RetryWrites => Executor.Client.Settings.RetryWrites && WriteConcern.IsAcknowledged;
}

/// <summary>Options of one bulk write that every batch command carries.</summary>
/// <param name="Ordered">Stop at the first error.</param>
/// <param name="BypassDocumentValidation">Skip schema validation.</param>
/// <param name="Comment">A comment for the server's logs.</param>
internal readonly record struct BulkWriteSettings(bool Ordered, bool? BypassDocumentValidation, BsonValue? Comment);
