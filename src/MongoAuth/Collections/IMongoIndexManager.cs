using MongoDB.Bson;

namespace MongoAuth;

/// <summary>A collection's indexes: create, list and drop (<c>collection.Indexes</c>).</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
public interface IMongoIndexManager<TDocument>
{
    /// <summary>Creates an index (nothing happens when the same one exists) and returns its name.</summary>
    Task<string> CreateOneAsync(CreateIndexModel<TDocument> model, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="CreateOneAsync"/>.</summary>
    string CreateOne(CreateIndexModel<TDocument> model, CancellationToken cancellationToken = default);

    /// <summary>Creates several indexes in one command and returns their names.</summary>
    Task<IEnumerable<string>> CreateManyAsync(IEnumerable<CreateIndexModel<TDocument>> models, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="CreateManyAsync"/>.</summary>
    IEnumerable<string> CreateMany(IEnumerable<CreateIndexModel<TDocument>> models, CancellationToken cancellationToken = default);

    /// <summary>The index specifications (<c>{v, key, name, unique?, ...}</c>), <c>_id_</c> first.</summary>
    Task<IAsyncCursor<BsonDocument>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="ListAsync"/>.</summary>
    IAsyncCursor<BsonDocument> List(CancellationToken cancellationToken = default);

    /// <summary>Drops the index named <paramref name="name"/>.</summary>
    Task DropOneAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="DropOneAsync"/>.</summary>
    void DropOne(string name, CancellationToken cancellationToken = default);

    /// <summary>Drops every index but <c>_id_</c>.</summary>
    Task DropAllAsync(CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="DropAllAsync"/>.</summary>
    void DropAll(CancellationToken cancellationToken = default);
}
