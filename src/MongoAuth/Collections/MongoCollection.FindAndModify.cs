using MongoAuth.Diagnostics;
using MongoAuth.Sessions;
using MongoDB.Bson;

namespace MongoAuth.Collections;

/// <summary>FindOneAndUpdate/Replace/Delete: one <c>findAndModify</c> command each, a retryable single-statement write.</summary>
internal sealed partial class MongoCollection<TDocument>
{
    public Task<TDocument?> FindOneAndUpdateAsync(FilterDefinition<TDocument> filter, UpdateDefinition<TDocument> update, FindOneAndUpdateOptions<TDocument>? options = null, CancellationToken cancellationToken = default) =>
        FindOneAndUpdateAsync(filter, update, options, runAsync: true, cancellationToken);

    public TDocument? FindOneAndUpdate(FilterDefinition<TDocument> filter, UpdateDefinition<TDocument> update, FindOneAndUpdateOptions<TDocument>? options = null, CancellationToken cancellationToken = default) =>
        Sync(FindOneAndUpdateAsync(filter, update, options, runAsync: false, cancellationToken));

    public Task<TDocument?> FindOneAndReplaceAsync(FilterDefinition<TDocument> filter, TDocument replacement, FindOneAndReplaceOptions<TDocument>? options = null, CancellationToken cancellationToken = default) =>
        FindOneAndReplaceAsync(filter, replacement, options, runAsync: true, cancellationToken);

    public TDocument? FindOneAndReplace(FilterDefinition<TDocument> filter, TDocument replacement, FindOneAndReplaceOptions<TDocument>? options = null, CancellationToken cancellationToken = default) =>
        Sync(FindOneAndReplaceAsync(filter, replacement, options, runAsync: false, cancellationToken));

    public Task<TDocument?> FindOneAndDeleteAsync(FilterDefinition<TDocument> filter, FindOneAndDeleteOptions<TDocument>? options = null, CancellationToken cancellationToken = default) =>
        FindOneAndDeleteAsync(filter, options, runAsync: true, cancellationToken);

    public TDocument? FindOneAndDelete(FilterDefinition<TDocument> filter, FindOneAndDeleteOptions<TDocument>? options = null, CancellationToken cancellationToken = default) =>
        Sync(FindOneAndDeleteAsync(filter, options, runAsync: false, cancellationToken));

    private Task<TDocument?> FindOneAndUpdateAsync(FilterDefinition<TDocument> filter, UpdateDefinition<TDocument> update, FindOneAndUpdateOptions<TDocument>? options,
        bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(update);
        var command = FindAndModify(filter, options?.Sort, options?.Projection, options?.Collation, options?.Hint, options?.MaxTime);
        command["update"] = update.Value;
        command["new"] = options?.ReturnDocument == ReturnDocument.After;
        command["upsert"] = options?.IsUpsert ?? false;
        AddIf(command, "arrayFilters", options?.ArrayFilters is { } filters ? new BsonArray(filters) : null);
        return FindAndModifyAsync(command, runAsync, cancellationToken);
    }

    private Task<TDocument?> FindOneAndReplaceAsync(FilterDefinition<TDocument> filter, TDocument replacement, FindOneAndReplaceOptions<TDocument>? options,
        bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(replacement);
        var document = DocumentCodec.Write(DocumentSerializer, replacement);
        if (document.ElementCount > 0 && document.GetElement(0).Name.StartsWith('$'))
        {
            throw new ArgumentException("A replacement document must not contain update operators; use FindOneAndUpdate for $set and the like.", nameof(replacement));
        }

        var command = FindAndModify(filter, options?.Sort, options?.Projection, options?.Collation, options?.Hint, options?.MaxTime);
        command["update"] = document;
        command["new"] = options?.ReturnDocument == ReturnDocument.After;
        command["upsert"] = options?.IsUpsert ?? false;
        return FindAndModifyAsync(command, runAsync, cancellationToken);
    }

    private Task<TDocument?> FindOneAndDeleteAsync(FilterDefinition<TDocument> filter, FindOneAndDeleteOptions<TDocument>? options, bool runAsync,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var command = FindAndModify(filter, options?.Sort, options?.Projection, options?.Collation, options?.Hint, options?.MaxTime);
        command["remove"] = true;
        return FindAndModifyAsync(command, runAsync, cancellationToken);
    }

    private BsonDocument FindAndModify(FilterDefinition<TDocument> filter, SortDefinition<TDocument>? sort, ProjectionDefinition<TDocument>? projection,
        BsonDocument? collation, BsonValue? hint, TimeSpan? maxTime)
    {
        var command = new BsonDocument { { "findAndModify", CollectionName }, { "query", filter.Document } };
        AddIf(command, "sort", sort?.Document);
        AddIf(command, "fields", projection?.Document);
        AddIf(command, "collation", collation);
        AddIf(command, "hint", hint);
        AddIf(command, "maxTimeMS", maxTime is { } time ? (long)time.TotalMilliseconds : null);
        AddIf(command, "writeConcern", WriteConcern.ToCommandDocument());
        return command;
    }

    private async Task<TDocument?> FindAndModifyAsync(BsonDocument command, bool runAsync, CancellationToken cancellationToken)
    {
        var acknowledged = WriteConcern.IsAcknowledged;
        var session = acknowledged ? new ImplicitSession(_executor.Sessions) : null;
        try
        {
            var reply = await _executor.WriteAsync(OperationTarget.ForCommand(DatabaseName, command), _ => (new BsonDocument(command), null), session, Target.RetryWrites,
                _executor.Start(runAsync, cancellationToken)).ConfigureAwait(false);
            return reply.Reply.TryGetValue("value", out var value) && value is BsonDocument document
                ? DocumentCodec.Read(DocumentSerializer, document)
                : default;
        }
        finally
        {
            session?.Release();
        }
    }
}
