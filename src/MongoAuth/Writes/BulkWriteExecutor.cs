using MongoAuth.Diagnostics;
using MongoAuth.Sessions;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Writes;

/// <summary>
/// Runs a bulk write (and every insert, update and delete, which are bulk writes of one request): consecutive requests
/// of one kind form a run (unordered: all requests of one kind), each run is cut into batches that fit the server's
/// limits while it is written, and each batch is one <c>insert</c>/<c>update</c>/<c>delete</c> command whose statements
/// are serialised straight into the message as an OP_MSG document sequence. Results and write errors are mapped back
/// to the application's request indexes. An ordered write stops after the first batch with an error.
/// </summary>
internal static class BulkWriteExecutor
{
    public static async Task<BulkWriteResult<T>> ExecuteAsync<T>(WriteTarget target, IReadOnlyList<WriteModel<T>> requests,
        IEnumerable<WriteRun> runs, BulkWriteSettings settings, bool runAsync, CancellationToken cancellationToken)
    {
        if (requests.Count == 0)
        {
            throw new ArgumentException("A bulk write needs at least one request.", nameof(requests));
        }

        var acknowledged = target.WriteConcern.IsAcknowledged;
        // Unacknowledged writes carry no implicit session (driver-sessions spec).
        var session = acknowledged ? new ImplicitSession(target.Executor.Sessions) : null;
        var tally = new Tally();
        try
        {
            foreach (var run in runs)
            {
                for (var start = 0; start < run.Count;)
                {
                    session?.NextStatement();
                    var (count, reply) = await SendBatchAsync(target, run, start, settings, session, runAsync, cancellationToken).ConfigureAwait(false);
                    if (acknowledged)
                    {
                        tally.Add(run, start, count, reply);
                    }

                    start += count;
                    if (settings.Ordered && tally.Errors.Count > 0)
                    {
                        return Throw(target, requests, tally, acknowledged, ordered: true);
                    }
                }
            }
        }
        finally
        {
            session?.Release();
        }

        if (tally.Errors.Count > 0 || tally.WriteConcernError is not null)
        {
            return Throw(target, requests, tally, acknowledged, settings.Ordered);
        }

        return tally.Result(acknowledged, requests, requests.Count);
    }

    /// <summary>
    /// Sends the batch that starts at <paramref name="start"/> of <paramref name="run"/>: as many statements as the
    /// connection's limits let one message carry, serialised straight into it. Returns how many went and the reply.
    /// </summary>
    private static async Task<(int Count, BsonDocument Reply)> SendBatchAsync(WriteTarget target, WriteRun run, int start,
        BulkWriteSettings settings, ImplicitSession? session, bool runAsync, CancellationToken cancellationToken)
    {
        var batch = new WriteBatch(run, start);
        var context = target.Executor.Start(runAsync, cancellationToken);
        var reply = await target.Executor.WriteAsync(
            new OperationTarget(WriteStatement.CommandName(run.Kind), target.Database, target.Collection),
            connection =>
            {
                var limit = Math.Max(1, Math.Min(run.Count - start, connection.Description?.MaxWriteBatchSize ?? WireLimits.DefaultMaxWriteBatchSize));
                // A retry (same txnNumber) resends the statements the failed attempt carried, never others
                // (retryable-writes spec): the ids assigned while writing them are on the application's objects by now.
                batch.Limit = batch.Written > 0 ? Math.Min(limit, batch.Written) : limit;
                return (Command(target, run.Kind, settings), batch);
            },
            session,
            target.RetryWrites && run.AllSingleFrom(start),
            context,
            acknowledged: target.WriteConcern.IsAcknowledged).ConfigureAwait(false);
        return (batch.Written, reply.Reply);
    }

    private static BsonDocument Command(WriteTarget target, WriteKind kind, BulkWriteSettings settings)
    {
        var command = new BsonDocument { { WriteStatement.CommandName(kind), target.Collection }, { "ordered", settings.Ordered } };
        if (target.WriteConcern.ToCommandDocument() is { } writeConcern)
        {
            command["writeConcern"] = writeConcern;
        }

        if (settings.BypassDocumentValidation is { } bypass && kind != WriteKind.Delete)
        {
            command["bypassDocumentValidation"] = bypass;
        }

        if (settings.Comment is { } comment)
        {
            command["comment"] = comment;
        }

        return command;
    }

    private static BulkWriteResult<T> Throw<T>(WriteTarget target, IReadOnlyList<WriteModel<T>> requests, Tally tally, bool acknowledged, bool ordered)
    {
        var errors = tally.Errors.OrderBy(e => e.Index).ToList();
        var processedUpTo = ordered && tally.StoppedAt is { } stop ? stop + 1 : requests.Count;
        var processed = requests.Take(processedUpTo).ToList();
        var unprocessed = requests.Skip(processedUpTo).ToList();
        throw new MongoBulkWriteException<T>(target.Namespace, errors, tally.WriteConcernError,
            tally.Result(acknowledged, processed, requests.Count), unprocessed);
    }
}
