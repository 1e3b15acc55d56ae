using MongoAuth.Writes;

#pragma warning disable CA2000 // RawBsonDocument wraps a managed byte array (nothing to release); the statement owns it until its batch is sent.
namespace MongoAuth.Collections;

/// <summary>
/// Writes: every insert, update, replace and delete is a bulk write of its requests (one home for batching, write
/// errors and sessions). Single-document forms turn a bulk write error into <see cref="MongoWriteException"/>.
/// </summary>
internal sealed partial class MongoCollection<TDocument>
{
    public Task InsertOneAsync(TDocument document, InsertOneOptions? options = null, CancellationToken cancellationToken = default) =>
        InsertOneAsync(document, options, runAsync: true, cancellationToken);

    public void InsertOne(TDocument document, InsertOneOptions? options = null, CancellationToken cancellationToken = default) =>
        Sync(InsertOneAsync(document, options, runAsync: false, cancellationToken));

    public Task InsertManyAsync(IEnumerable<TDocument> documents, InsertManyOptions? options = null, CancellationToken cancellationToken = default) =>
        InsertManyAsync(documents, options, runAsync: true, cancellationToken);

    public void InsertMany(IEnumerable<TDocument> documents, InsertManyOptions? options = null, CancellationToken cancellationToken = default) =>
        Sync(InsertManyAsync(documents, options, runAsync: false, cancellationToken));

    public Task<UpdateResult> UpdateOneAsync(FilterDefinition<TDocument> filter, UpdateDefinition<TDocument> update, UpdateOptions? options = null, CancellationToken cancellationToken = default) =>
        UpdateAsync(filter, update, options, multi: false, runAsync: true, cancellationToken);

    public UpdateResult UpdateOne(FilterDefinition<TDocument> filter, UpdateDefinition<TDocument> update, UpdateOptions? options = null, CancellationToken cancellationToken = default) =>
        Sync(UpdateAsync(filter, update, options, multi: false, runAsync: false, cancellationToken));

    public Task<UpdateResult> UpdateManyAsync(FilterDefinition<TDocument> filter, UpdateDefinition<TDocument> update, UpdateOptions? options = null, CancellationToken cancellationToken = default) =>
        UpdateAsync(filter, update, options, multi: true, runAsync: true, cancellationToken);

    public UpdateResult UpdateMany(FilterDefinition<TDocument> filter, UpdateDefinition<TDocument> update, UpdateOptions? options = null, CancellationToken cancellationToken = default) =>
        Sync(UpdateAsync(filter, update, options, multi: true, runAsync: false, cancellationToken));

    public Task<ReplaceOneResult> ReplaceOneAsync(FilterDefinition<TDocument> filter, TDocument replacement, ReplaceOptions? options = null, CancellationToken cancellationToken = default) =>
        ReplaceOneAsync(filter, replacement, options, runAsync: true, cancellationToken);

    public ReplaceOneResult ReplaceOne(FilterDefinition<TDocument> filter, TDocument replacement, ReplaceOptions? options = null, CancellationToken cancellationToken = default) =>
        Sync(ReplaceOneAsync(filter, replacement, options, runAsync: false, cancellationToken));

    public Task<DeleteResult> DeleteOneAsync(FilterDefinition<TDocument> filter, CancellationToken cancellationToken = default) =>
        DeleteAsync(filter, null, single: true, runAsync: true, cancellationToken);

    public Task<DeleteResult> DeleteOneAsync(FilterDefinition<TDocument> filter, DeleteOptions? options, CancellationToken cancellationToken = default) =>
        DeleteAsync(filter, options, single: true, runAsync: true, cancellationToken);

    public DeleteResult DeleteOne(FilterDefinition<TDocument> filter, CancellationToken cancellationToken = default) =>
        Sync(DeleteAsync(filter, null, single: true, runAsync: false, cancellationToken));

    public DeleteResult DeleteOne(FilterDefinition<TDocument> filter, DeleteOptions? options, CancellationToken cancellationToken = default) =>
        Sync(DeleteAsync(filter, options, single: true, runAsync: false, cancellationToken));

    public Task<DeleteResult> DeleteManyAsync(FilterDefinition<TDocument> filter, CancellationToken cancellationToken = default) =>
        DeleteAsync(filter, null, single: false, runAsync: true, cancellationToken);

    public Task<DeleteResult> DeleteManyAsync(FilterDefinition<TDocument> filter, DeleteOptions? options, CancellationToken cancellationToken = default) =>
        DeleteAsync(filter, options, single: false, runAsync: true, cancellationToken);

    public DeleteResult DeleteMany(FilterDefinition<TDocument> filter, CancellationToken cancellationToken = default) =>
        Sync(DeleteAsync(filter, null, single: false, runAsync: false, cancellationToken));

    public DeleteResult DeleteMany(FilterDefinition<TDocument> filter, DeleteOptions? options, CancellationToken cancellationToken = default) =>
        Sync(DeleteAsync(filter, options, single: false, runAsync: false, cancellationToken));

    public Task<BulkWriteResult<TDocument>> BulkWriteAsync(IEnumerable<WriteModel<TDocument>> requests, BulkWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        BulkWriteAsync(requests, options, runAsync: true, cancellationToken);

    public BulkWriteResult<TDocument> BulkWrite(IEnumerable<WriteModel<TDocument>> requests, BulkWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        Sync(BulkWriteAsync(requests, options, runAsync: false, cancellationToken));

    private async Task InsertOneAsync(TDocument document, InsertOneOptions? options, bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var model = new InsertOneModel<TDocument>(document);
        await SingleAsync(model, WriteStatements.From(model, 0, DocumentSerializer), new BulkWriteSettings(true, options?.BypassDocumentValidation, options?.Comment),
            runAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One run of inserts read straight from the application's list: each document is serialised into its batch's
    /// message when that is written (no statement, model or byte array per document).
    /// </summary>
    private async Task InsertManyAsync(IEnumerable<TDocument> documents, InsertManyOptions? options, bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var list = documents as IReadOnlyList<TDocument> ?? [.. documents];
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException("A document to insert must not be null.", nameof(documents));
            }
        }

        await BulkWriteExecutor.ExecuteAsync(Target, new InsertModels<TDocument>(list), [new InsertRun<TDocument>(list, DocumentSerializer)],
            new BulkWriteSettings(options?.IsOrdered ?? true, options?.BypassDocumentValidation, options?.Comment), runAsync, cancellationToken).ConfigureAwait(false);
    }

    private async Task<UpdateResult> UpdateAsync(FilterDefinition<TDocument> filter, UpdateDefinition<TDocument> update, UpdateOptions? options, bool multi,
        bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(update);
        WriteModel<TDocument> model = multi
            ? new UpdateManyModel<TDocument>(filter, update) { IsUpsert = options?.IsUpsert ?? false }
            : new UpdateOneModel<TDocument>(filter, update) { IsUpsert = options?.IsUpsert ?? false };
        var statement = WriteStatements.Update(0, filter.Document, update.Value, multi, options?.IsUpsert ?? false, options?.ArrayFilters, options?.Collation, options?.Hint);
        var result = await SingleAsync(model, statement, new BulkWriteSettings(true, options?.BypassDocumentValidation, options?.Comment), runAsync, cancellationToken)
            .ConfigureAwait(false);
        return new UpdateResult(result.IsAcknowledged, result.MatchedCount, result.ModifiedCount, result.Upserts.FirstOrDefault()?.Id);
    }

    private async Task<ReplaceOneResult> ReplaceOneAsync(FilterDefinition<TDocument> filter, TDocument replacement, ReplaceOptions? options, bool runAsync,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(replacement);
        var model = new ReplaceOneModel<TDocument>(filter, replacement) { IsUpsert = options?.IsUpsert ?? false };
        var statement = WriteStatements.Replace(0, filter.Document, DocumentCodec.Write(DocumentSerializer, replacement), model.IsUpsert, options?.Collation, options?.Hint);
        var result = await SingleAsync(model, statement, new BulkWriteSettings(true, options?.BypassDocumentValidation, options?.Comment), runAsync, cancellationToken)
            .ConfigureAwait(false);
        return new ReplaceOneResult(result.IsAcknowledged, result.MatchedCount, result.ModifiedCount, result.Upserts.FirstOrDefault()?.Id);
    }

    private async Task<DeleteResult> DeleteAsync(FilterDefinition<TDocument> filter, DeleteOptions? options, bool single, bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        WriteModel<TDocument> model = single ? new DeleteOneModel<TDocument>(filter) : new DeleteManyModel<TDocument>(filter);
        var statement = WriteStatements.Delete(0, filter.Document, single, options?.Collation, options?.Hint);
        var result = await SingleAsync(model, statement, new BulkWriteSettings(true, null, options?.Comment), runAsync, cancellationToken).ConfigureAwait(false);
        return new DeleteResult(result.IsAcknowledged, result.DeletedCount);
    }

    private async Task<BulkWriteResult<TDocument>> BulkWriteAsync(IEnumerable<WriteModel<TDocument>> requests, BulkWriteOptions? options, bool runAsync,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var models = requests.ToList();
        var statements = new List<WriteStatement>(models.Count);
        for (var i = 0; i < models.Count; i++)
        {
            statements.Add(WriteStatements.From(models[i] ?? throw new ArgumentException("A write request must not be null.", nameof(requests)), i, DocumentSerializer));
        }

        var ordered = options?.IsOrdered ?? true;
        return await BulkWriteExecutor.ExecuteAsync(Target, models, WriteRun.Of(statements, ordered),
            new BulkWriteSettings(ordered, options?.BypassDocumentValidation, options?.Comment), runAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A one-request bulk write whose failure is reported as <see cref="MongoWriteException"/> (crud spec: single-document writes).</summary>
    private async Task<BulkWriteResult<TDocument>> SingleAsync(WriteModel<TDocument> model, WriteStatement statement, BulkWriteSettings settings, bool runAsync,
        CancellationToken cancellationToken)
    {
        try
        {
            return await BulkWriteExecutor.ExecuteAsync(Target, [model], [new StatementRun([statement])], settings, runAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoBulkWriteException<TDocument> e)
        {
            throw new MongoWriteException(Namespace, e.WriteErrors.FirstOrDefault(), e.WriteConcernError, e);
        }
    }
}
