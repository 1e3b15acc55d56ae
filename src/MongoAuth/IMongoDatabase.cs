using MongoDB.Bson;

namespace MongoAuth;

/// <summary>A database of a <see cref="MongoClient"/>.</summary>
public interface IMongoDatabase
{
    /// <summary>The database name.</summary>
    string Name { get; }

    /// <summary>The client this database belongs to.</summary>
    MongoClient Client { get; }

    /// <summary>
    /// Runs a command (the command name first) and returns the reply. Throws <see cref="MongoCommandException"/> when
    /// the server answers <c>ok: 0</c>. The document is not modified.
    /// </summary>
    Task<BsonDocument> RunCommandAsync(BsonDocument command, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="RunCommandAsync"/> (same code path).</summary>
    BsonDocument RunCommand(BsonDocument command, CancellationToken cancellationToken = default);
}
