using MongoAuth.Diagnostics;
using MongoAuth.Sessions;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Writes;

/// <summary>
/// Runs a bulk write (and every insert, update and delete, which are bulk writes of one request): consecutive requests
/// of one kind form a run (unordered: all requests of one kind), each run is cut into batches that fit the server's
/// limits, and each batch is one <c>insert</c>/<c>update</c>/<c>delete</c> command whose statements travel as an OP_MSG
/// document sequence. Results and write errors are mapped back to the application's request indexes. An ordered write
/// stops after the first batch with an error.
/// </summary>
internal static class BulkWriteExecutor
{
    public static async Task<BulkWriteResult<T>> ExecuteAsync<T>(WriteTarget target, IReadOnlyList<WriteModel<T>> requests,
        IReadOnlyList<WriteStatement> statements, BulkWriteSettings settings, bool runAsync, CancellationToken cancellationToken)
    {
        if (statements.Count == 0)
        {
            throw new ArgumentException("A bulk write needs at least one request.", nameof(requests));
        }

        var acknowledged = target.WriteConcern.IsAcknowledged;
        // Unacknowledged writes carry no implicit session (driver-sessions spec).
        var session = acknowledged ? new ImplicitSession(target.Executor.Sessions) : null;
        var tally = new Tally();
        try
        {
            foreach (var run in Runs(statements, settings.Ordered))
            {
                for (var start = 0; start < run.Count;)
                {
                    session?.NextStatement();
                    var sent = await SendBatchAsync(target, run, start, settings, session, runAsync, cancellationToken).ConfigureAwait(false);
                    var (count, reply) = sent;
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

    private static async Task<(int Count, BsonDocument Reply)> SendBatchAsync(WriteTarget target, List<WriteStatement> run, int start,
        BulkWriteSettings settings, ImplicitSession? session, bool runAsync, CancellationToken cancellationToken)
    {
        var kind = run[0].Kind;
        var sequenceName = WriteStatement.SequenceName(kind);
        var count = 0;
        var retryable = target.RetryWrites;
        var context = target.Executor.Start(runAsync, cancellationToken);
        var reply = await target.Executor.WriteAsync(
            new OperationTarget(WriteStatement.CommandName(kind), target.Database, target.Collection),
            connection =>
            {
                var command = Command(target, kind, settings);
                count = WriteBatch.Count(run, start, command.ToBson().Length, sequenceName, connection.Description);
                var documents = new BsonDocument[count];
                for (var i = 0; i < count; i++)
                {
                    documents[i] = run[start + i].Document;
                }

                return (command, [new DocumentSequence(sequenceName, documents)]);
            },
            session,
            retryable && AllSingle(run, start),
            context,
            acknowledged: target.WriteConcern.IsAcknowledged).ConfigureAwait(false);
        return (count, reply.Reply);
    }

    /// <summary>Whether every statement from <paramref name="start"/> on changes at most one document, so the batch may be retried.</summary>
    private static bool AllSingle(List<WriteStatement> run, int start)
    {
        for (var i = start; i < run.Count; i++)
        {
            if (!run[i].IsSingleStatement)
            {
                return false;
            }
        }

        return true;
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

    /// <summary>
    /// The runs of statements of one kind: in request order when ordered; grouped by kind (inserts, updates, deletes)
    /// when unordered, which the crud spec allows and which needs fewer round trips.
    /// </summary>
    private static IEnumerable<List<WriteStatement>> Runs(IReadOnlyList<WriteStatement> statements, bool ordered)
    {
        if (!ordered)
        {
            foreach (var group in statements.GroupBy(s => s.Kind).OrderBy(g => g.Key))
            {
                yield return group.ToList();
            }

            yield break;
        }

        var run = new List<WriteStatement>();
        foreach (var statement in statements)
        {
            if (run.Count > 0 && run[0].Kind != statement.Kind)
            {
                yield return run;
                run = [];
            }

            run.Add(statement);
        }

        yield return run;
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
