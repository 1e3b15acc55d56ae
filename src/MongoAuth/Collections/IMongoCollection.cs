using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace MongoAuth;

/// <summary>
/// A collection of <typeparamref name="TDocument"/>s (POCOs serialised with MongoDB.Bson's class maps, or
/// <see cref="BsonDocument"/>s). The names and shapes follow MongoDB.Driver's <c>IMongoCollection&lt;T&gt;</c>, so code
/// moves over with a <c>using</c> change; filters, sorts, updates and projections are <see cref="BsonDocument"/>s or
/// JSON strings. Every method has a synchronous twin that runs the same code path synchronously down to the socket.
/// Find is <c>collection.Find(filter)</c> (<see cref="MongoCollectionExtensions"/>).
/// </summary>
/// <typeparam name="TDocument">The document type.</typeparam>
public interface IMongoCollection<TDocument>
{
    /// <summary>The collection's name.</summary>
    string CollectionName { get; }

    /// <summary>The database the collection is in.</summary>
    IMongoDatabase Database { get; }

    /// <summary>The serializer documents are written and read with.</summary>
    IBsonSerializer<TDocument> DocumentSerializer { get; }

    /// <summary>The write concern of this collection's writes.</summary>
    WriteConcern WriteConcern { get; }

    /// <summary>The collection's indexes.</summary>
    IMongoIndexManager<TDocument> Indexes { get; }

    /// <summary>The same collection with another write concern (nothing is sent).</summary>
    IMongoCollection<TDocument> WithWriteConcern(WriteConcern writeConcern);

    /// <summary>Inserts a document; a POCO with an empty ObjectId id (or a <see cref="BsonDocument"/> without <c>_id</c>) gets one first.</summary>
    /// <exception cref="MongoWriteException">The insert failed (e.g. a duplicate key, code 11000).</exception>
    Task InsertOneAsync(TDocument document, InsertOneOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="InsertOneAsync"/>.</summary>
    void InsertOne(TDocument document, InsertOneOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Inserts documents in as few batches as the server's limits allow; ids are assigned as by <see cref="InsertOneAsync"/>.</summary>
    /// <exception cref="MongoBulkWriteException{TDocument}">Some inserts failed; the exception says which.</exception>
    Task InsertManyAsync(IEnumerable<TDocument> documents, InsertManyOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="InsertManyAsync"/>.</summary>
    void InsertMany(IEnumerable<TDocument> documents, InsertManyOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a find and returns its cursor (<c>collection.Find(filter)</c> is the fluent form).</summary>
    Task<IAsyncCursor<TProjection>> FindAsync<TProjection>(FilterDefinition<TDocument> filter, FindOptions<TDocument, TProjection>? options = null, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="FindAsync{TProjection}"/>.</summary>
    IAsyncCursor<TProjection> FindSync<TProjection>(FilterDefinition<TDocument> filter, FindOptions<TDocument, TProjection>? options = null, CancellationToken cancellationToken = default);

    /// <summary>Counts the documents matching <paramref name="filter"/> (an aggregation: exact, filtered).</summary>
    Task<long> CountDocumentsAsync(FilterDefinition<TDocument> filter, CountOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="CountDocumentsAsync"/>.</summary>
    long CountDocuments(FilterDefinition<TDocument> filter, CountOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The number of documents in the collection from its metadata (fast; the <c>count</c> command).</summary>
    Task<long> EstimatedDocumentCountAsync(EstimatedDocumentCountOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="EstimatedDocumentCountAsync"/>.</summary>
    long EstimatedDocumentCount(EstimatedDocumentCountOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The distinct values of a field (dotted paths reach into embedded documents; array elements count one by one).</summary>
    Task<IAsyncCursor<TField>> DistinctAsync<TField>(string field, FilterDefinition<TDocument> filter, DistinctOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="DistinctAsync{TField}"/>.</summary>
    IAsyncCursor<TField> Distinct<TField>(string field, FilterDefinition<TDocument> filter, DistinctOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs an aggregation pipeline and returns its results as a cursor.</summary>
    Task<IAsyncCursor<TResult>> AggregateAsync<TResult>(PipelineDefinition<TDocument, TResult> pipeline, AggregateOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="AggregateAsync{TResult}"/>.</summary>
    IAsyncCursor<TResult> Aggregate<TResult>(PipelineDefinition<TDocument, TResult> pipeline, AggregateOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Updates the first document matching <paramref name="filter"/>.</summary>
    /// <exception cref="MongoWriteException">The update failed.</exception>
    Task<UpdateResult> UpdateOneAsync(FilterDefinition<TDocument> filter, UpdateDefinition<TDocument> update, UpdateOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="UpdateOneAsync"/>.</summary>
    UpdateResult UpdateOne(FilterDefinition<TDocument> filter, UpdateDefinition<TDocument> update, UpdateOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Updates every document matching <paramref name="filter"/>.</summary>
    /// <exception cref="MongoWriteException">The update failed.</exception>
    Task<UpdateResult> UpdateManyAsync(FilterDefinition<TDocument> filter, UpdateDefinition<TDocument> update, UpdateOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="UpdateManyAsync"/>.</summary>
    UpdateResult UpdateMany(FilterDefinition<TDocument> filter, UpdateDefinition<TDocument> update, UpdateOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Replaces the first document matching <paramref name="filter"/>.</summary>
    /// <exception cref="MongoWriteException">The replacement failed.</exception>
    Task<ReplaceOneResult> ReplaceOneAsync(FilterDefinition<TDocument> filter, TDocument replacement, ReplaceOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="ReplaceOneAsync"/>.</summary>
    ReplaceOneResult ReplaceOne(FilterDefinition<TDocument> filter, TDocument replacement, ReplaceOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes the first document matching <paramref name="filter"/>.</summary>
    Task<DeleteResult> DeleteOneAsync(FilterDefinition<TDocument> filter, CancellationToken cancellationToken = default);

    /// <summary>Deletes the first document matching <paramref name="filter"/>.</summary>
    Task<DeleteResult> DeleteOneAsync(FilterDefinition<TDocument> filter, DeleteOptions? options, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="DeleteOneAsync(FilterDefinition{TDocument}, CancellationToken)"/>.</summary>
    DeleteResult DeleteOne(FilterDefinition<TDocument> filter, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="DeleteOneAsync(FilterDefinition{TDocument}, DeleteOptions, CancellationToken)"/>.</summary>
    DeleteResult DeleteOne(FilterDefinition<TDocument> filter, DeleteOptions? options, CancellationToken cancellationToken = default);

    /// <summary>Deletes every document matching <paramref name="filter"/>.</summary>
    Task<DeleteResult> DeleteManyAsync(FilterDefinition<TDocument> filter, CancellationToken cancellationToken = default);

    /// <summary>Deletes every document matching <paramref name="filter"/>.</summary>
    Task<DeleteResult> DeleteManyAsync(FilterDefinition<TDocument> filter, DeleteOptions? options, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="DeleteManyAsync(FilterDefinition{TDocument}, CancellationToken)"/>.</summary>
    DeleteResult DeleteMany(FilterDefinition<TDocument> filter, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="DeleteManyAsync(FilterDefinition{TDocument}, DeleteOptions, CancellationToken)"/>.</summary>
    DeleteResult DeleteMany(FilterDefinition<TDocument> filter, DeleteOptions? options, CancellationToken cancellationToken = default);

    /// <summary>Updates one document and returns it (before the update by default); null when none matched and none was upserted.</summary>
    Task<TDocument?> FindOneAndUpdateAsync(FilterDefinition<TDocument> filter, UpdateDefinition<TDocument> update, FindOneAndUpdateOptions<TDocument>? options = null, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="FindOneAndUpdateAsync"/>.</summary>
    TDocument? FindOneAndUpdate(FilterDefinition<TDocument> filter, UpdateDefinition<TDocument> update, FindOneAndUpdateOptions<TDocument>? options = null, CancellationToken cancellationToken = default);

    /// <summary>Replaces one document and returns it (before the replacement by default); null when none matched.</summary>
    Task<TDocument?> FindOneAndReplaceAsync(FilterDefinition<TDocument> filter, TDocument replacement, FindOneAndReplaceOptions<TDocument>? options = null, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="FindOneAndReplaceAsync"/>.</summary>
    TDocument? FindOneAndReplace(FilterDefinition<TDocument> filter, TDocument replacement, FindOneAndReplaceOptions<TDocument>? options = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes one document and returns it; null when none matched.</summary>
    Task<TDocument?> FindOneAndDeleteAsync(FilterDefinition<TDocument> filter, FindOneAndDeleteOptions<TDocument>? options = null, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="FindOneAndDeleteAsync"/>.</summary>
    TDocument? FindOneAndDelete(FilterDefinition<TDocument> filter, FindOneAndDeleteOptions<TDocument>? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs inserts, updates, replaces and deletes in as few commands as the server's limits allow.</summary>
    /// <exception cref="MongoBulkWriteException{TDocument}">Some requests failed; the exception lists each with its index.</exception>
    Task<BulkWriteResult<TDocument>> BulkWriteAsync(IEnumerable<WriteModel<TDocument>> requests, BulkWriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="BulkWriteAsync"/>.</summary>
    BulkWriteResult<TDocument> BulkWrite(IEnumerable<WriteModel<TDocument>> requests, BulkWriteOptions? options = null, CancellationToken cancellationToken = default);
}
