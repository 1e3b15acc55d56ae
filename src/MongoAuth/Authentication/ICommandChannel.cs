using MongoDB.Bson;

namespace MongoAuth.Authentication;

/// <summary>What authentication needs from a connection: run one command and get the reply.</summary>
internal interface ICommandChannel
{
    /// <summary>
    /// Runs <paramref name="command"/> against <paramref name="database"/>. Throws <see cref="MongoCommandException"/>
    /// on <c>ok: 0</c> and <see cref="MongoConnectionException"/> on network failure.
    /// </summary>
    Task<BsonDocument> RunCommandAsync(string database, BsonDocument command, CancellationToken cancellationToken);
}
