using MongoAuth.Cursors;
using MongoAuth.Diagnostics;
using MongoAuth.Sessions;
using MongoDB.Bson;

#pragma warning disable CA2000 // The cursor is returned to the caller, who owns (disposes) it; the analyzer does not follow it through the completed task.
namespace MongoAuth.Collections;

/// <summary>Reads: find, count, distinct and aggregate (crud spec), each one command through the cluster's read path.</summary>
internal sealed partial class MongoCollection<TDocument>
{
    public Task<IAsyncCursor<TProjection>> FindAsync<TProjection>(FilterDefinition<TDocument> filter, FindOptions<TDocument, TProjection>? options = null, CancellationToken cancellationToken = default) =>
        FindAsync(filter, options, runAsync: true, cancellationToken);

    public IAsyncCursor<TProjection> FindSync<TProjection>(FilterDefinition<TDocument> filter, FindOptions<TDocument, TProjection>? options = null, CancellationToken cancellationToken = default) =>
        Sync(FindAsync(filter, options, runAsync: false, cancellationToken));

    public Task<long> CountDocumentsAsync(FilterDefinition<TDocument> filter, CountOptions? options = null, CancellationToken cancellationToken = default) =>
        CountDocumentsAsync(filter, options, runAsync: true, cancellationToken);

    public long CountDocuments(FilterDefinition<TDocument> filter, CountOptions? options = null, CancellationToken cancellationToken = default) =>
        Sync(CountDocumentsAsync(filter, options, runAsync: false, cancellationToken));

    public Task<long> EstimatedDocumentCountAsync(EstimatedDocumentCountOptions? options = null, CancellationToken cancellationToken = default) =>
        EstimatedDocumentCountAsync(options, runAsync: true, cancellationToken);

    public long EstimatedDocumentCount(EstimatedDocumentCountOptions? options = null, CancellationToken cancellationToken = default) =>
        Sync(EstimatedDocumentCountAsync(options, runAsync: false, cancellationToken));

    public Task<IAsyncCursor<TField>> DistinctAsync<TField>(string field, FilterDefinition<TDocument> filter, DistinctOptions? options = null, CancellationToken cancellationToken = default) =>
        DistinctAsync<TField>(field, filter, options, runAsync: true, cancellationToken);

    public IAsyncCursor<TField> Distinct<TField>(string field, FilterDefinition<TDocument> filter, DistinctOptions? options = null, CancellationToken cancellationToken = default) =>
        Sync(DistinctAsync<TField>(field, filter, options, runAsync: false, cancellationToken));

    public Task<IAsyncCursor<TResult>> AggregateAsync<TResult>(PipelineDefinition<TDocument, TResult> pipeline, AggregateOptions? options = null, CancellationToken cancellationToken = default) =>
        AggregateAsync(pipeline, options, runAsync: true, cancellationToken);

    public IAsyncCursor<TResult> Aggregate<TResult>(PipelineDefinition<TDocument, TResult> pipeline, AggregateOptions? options = null, CancellationToken cancellationToken = default) =>
        Sync(AggregateAsync(pipeline, options, runAsync: false, cancellationToken));

    internal async Task<IAsyncCursor<TProjection>> FindAsync<TProjection>(FilterDefinition<TDocument> filter, FindOptions<TDocument, TProjection>? options,
        bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var command = FindCommand(filter, options);
        var limit = options?.Limit is { } l ? Math.Abs(l) : 0;
        return await OpenCursorAsync(command, SerializerOf<TProjection>(), options?.BatchSize, limit, runAsync, cancellationToken).ConfigureAwait(false);
    }

    private BsonDocument FindCommand<TProjection>(FilterDefinition<TDocument> filter, FindOptions<TDocument, TProjection>? options)
    {
        var command = new BsonDocument { { "find", CollectionName }, { "filter", filter.Document } };
        if (options is null)
        {
            return command;
        }

        AddIf(command, "sort", options.Sort?.Document);
        AddIf(command, "projection", options.Projection?.Document);
        AddIf(command, "hint", options.Hint);
        if (options.Skip is { } skip)
        {
            command["skip"] = skip;
        }

        if (options.Limit is { } limit && limit != 0)
        {
            // A negative limit asks for a single batch of that many (find spec): the server closes the cursor after it.
            command["limit"] = Math.Abs(limit);
            if (limit < 0)
            {
                command["singleBatch"] = true;
            }
        }

        if (options.BatchSize is { } batchSize)
        {
            command["batchSize"] = batchSize;
        }

        AddIf(command, "comment", options.Comment);
        AddIf(command, "maxTimeMS", options.MaxTime is { } maxTime ? (long)maxTime.TotalMilliseconds : null);
        AddIf(command, "collation", options.Collation);
        AddIf(command, "allowDiskUse", options.AllowDiskUse);
        return command;
    }

    /// <summary>Runs a cursor-opening read; the implicit session passes to the cursor (or back to the pool if the command fails).</summary>
    internal async Task<IAsyncCursor<TResult>> OpenCursorAsync<TResult>(BsonDocument command,
        MongoDB.Bson.Serialization.IBsonSerializer<TResult> serializer, int? batchSize, int limit, bool runAsync, CancellationToken cancellationToken)
    {
        var session = new ImplicitSession(_executor.Sessions);
        var replies = new CursorReplySerializer<TResult>(serializer);
        try
        {
            var reply = await _executor.ReadAsync(OperationTarget.ForCommand(DatabaseName, command), _ => new BsonDocument(command), session,
                _executor.Start(runAsync, cancellationToken), replies).ConfigureAwait(false);
            return AsyncCursor<TResult>.FromReply(_executor, reply, DatabaseName, serializer, session, batchSize, limit, replies);
        }
        catch
        {
            session.Release();
            throw;
        }
    }

    /// <summary>Runs a read whose reply is complete in itself and returns the session at once.</summary>
    private async Task<BsonDocument> ReadAsync(BsonDocument command, bool runAsync, CancellationToken cancellationToken)
    {
        var session = new ImplicitSession(_executor.Sessions);
        try
        {
            var reply = await _executor.ReadAsync(OperationTarget.ForCommand(DatabaseName, command), _ => new BsonDocument(command), session, _executor.Start(runAsync, cancellationToken)).ConfigureAwait(false);
            return reply.Reply;
        }
        finally
        {
            session.Release();
        }
    }

    private async Task<long> CountDocumentsAsync(FilterDefinition<TDocument> filter, CountOptions? options, bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        // The crud spec's countDocuments: an aggregation ($match, $skip, $limit, $group), exact where count's metadata is not.
        var pipeline = new BsonArray { new BsonDocument("$match", filter.Document) };
        if (options?.Skip is { } skip)
        {
            pipeline.Add(new BsonDocument("$skip", skip));
        }

        if (options?.Limit is { } limit)
        {
            pipeline.Add(new BsonDocument("$limit", limit));
        }

        pipeline.Add(new BsonDocument("$group", new BsonDocument { { "_id", 1 }, { "n", new BsonDocument("$sum", 1) } }));
        var command = new BsonDocument { { "aggregate", CollectionName }, { "pipeline", pipeline }, { "cursor", new BsonDocument() } };
        AddIf(command, "hint", options?.Hint);
        AddIf(command, "collation", options?.Collation);
        AddIf(command, "comment", options?.Comment);
        var reply = await ReadAsync(command, runAsync, cancellationToken).ConfigureAwait(false);
        var batch = reply["cursor"]["firstBatch"].AsBsonArray;
        return batch.Count == 0 ? 0 : batch[0]["n"].ToInt64();
    }

    private async Task<long> EstimatedDocumentCountAsync(EstimatedDocumentCountOptions? options, bool runAsync, CancellationToken cancellationToken)
    {
        var command = new BsonDocument("count", CollectionName);
        AddIf(command, "comment", options?.Comment);
        try
        {
            var reply = await ReadAsync(command, runAsync, cancellationToken).ConfigureAwait(false);
            return reply.GetValue("n", 0).ToInt64();
        }
        catch (MongoCommandException e) when (e.Code == 26)
        {
            // A collection that does not exist has no documents (crud spec: estimatedDocumentCount).
            return 0;
        }
    }

    private async Task<IAsyncCursor<TField>> DistinctAsync<TField>(string field, FilterDefinition<TDocument> filter, DistinctOptions? options,
        bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentNullException.ThrowIfNull(filter);
        var command = new BsonDocument { { "distinct", CollectionName }, { "key", field }, { "query", filter.Document } };
        AddIf(command, "collation", options?.Collation);
        AddIf(command, "comment", options?.Comment);
        var reply = await ReadAsync(command, runAsync, cancellationToken).ConfigureAwait(false);
        var serializer = MongoDB.Bson.Serialization.BsonSerializer.LookupSerializer<TField>();
        var values = reply["values"].AsBsonArray.Select(v => DocumentCodec.Read(serializer, v)).ToList();
        return new ListCursor<TField>(values);
    }

    private async Task<IAsyncCursor<TResult>> AggregateAsync<TResult>(PipelineDefinition<TDocument, TResult> pipeline, AggregateOptions? options,
        bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var command = new BsonDocument { { "aggregate", CollectionName }, { "pipeline", pipeline.Stages } };
        var cursor = new BsonDocument();
        if (options?.BatchSize is { } batchSize)
        {
            cursor["batchSize"] = batchSize;
        }

        command["cursor"] = cursor;
        AddIf(command, "allowDiskUse", options?.AllowDiskUse);
        AddIf(command, "collation", options?.Collation);
        AddIf(command, "hint", options?.Hint);
        AddIf(command, "let", options?.Let);
        AddIf(command, "comment", options?.Comment);
        if (pipeline.Writes)
        {
            // $out and $merge write: they go to a writable server with the write concern, and are not retried.
            if (WriteConcern.ToCommandDocument() is { } writeConcern)
            {
                command["writeConcern"] = writeConcern;
            }

            var session = new ImplicitSession(_executor.Sessions);
            try
            {
                var reply = await _executor.WriteAsync(OperationTarget.ForCommand(DatabaseName, command), _ => (new BsonDocument(command), null), session, retryable: false,
                    _executor.Start(runAsync, cancellationToken)).ConfigureAwait(false);
                return AsyncCursor<TResult>.FromReply(_executor, reply, DatabaseName, SerializerOf<TResult>(), session, options?.BatchSize);
            }
            catch
            {
                session.Release();
                throw;
            }
        }

        return await OpenCursorAsync(command, SerializerOf<TResult>(), options?.BatchSize, 0, runAsync, cancellationToken).ConfigureAwait(false);
    }
}
