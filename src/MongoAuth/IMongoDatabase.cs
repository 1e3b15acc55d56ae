using MongoDB.Bson;

namespace MongoAuth;

/// <summary>A database of a <see cref="MongoClient"/>: its collections and commands.</summary>
public interface IMongoDatabase
{
    /// <summary>The database name.</summary>
    string Name { get; }

    /// <summary>The client this database belongs to.</summary>
    IMongoClient Client { get; }

    /// <summary>The write concern of writes through this database's collections.</summary>
    WriteConcern WriteConcern { get; }

    /// <summary>A collection handle (no I/O; the collection is created by the first write).</summary>
    IMongoCollection<TDocument> GetCollection<TDocument>(string name);

    /// <summary>The same database with another write concern (nothing is sent).</summary>
    IMongoDatabase WithWriteConcern(WriteConcern writeConcern);

    /// <summary>
    /// Runs a command (the command name first) and returns the reply. Throws <see cref="MongoCommandException"/> when
    /// the server answers <c>ok: 0</c>. The document is not modified.
    /// </summary>
    Task<BsonDocument> RunCommandAsync(BsonDocument command, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="RunCommandAsync"/> (same code path).</summary>
    BsonDocument RunCommand(BsonDocument command, CancellationToken cancellationToken = default);

    /// <summary>Runs a command (a <see cref="BsonDocument"/> or its JSON) and reads the reply into <typeparamref name="TResult"/>.</summary>
    Task<TResult> RunCommandAsync<TResult>(Command<TResult> command, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="RunCommandAsync{TResult}"/>.</summary>
    TResult RunCommand<TResult>(Command<TResult> command, CancellationToken cancellationToken = default);

    /// <summary>The names of the database's collections.</summary>
    Task<IAsyncCursor<string>> ListCollectionNamesAsync(ListCollectionNamesOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="ListCollectionNamesAsync"/>.</summary>
    IAsyncCursor<string> ListCollectionNames(ListCollectionNamesOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a collection explicitly (writes create collections on their own).</summary>
    Task CreateCollectionAsync(string name, CreateCollectionOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="CreateCollectionAsync"/>.</summary>
    void CreateCollection(string name, CreateCollectionOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Drops a collection and its indexes; nothing happens when it does not exist.</summary>
    Task DropCollectionAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="DropCollectionAsync"/>.</summary>
    void DropCollection(string name, CancellationToken cancellationToken = default);
}
