using MongoDB.Bson;

namespace MongoAuth;

/// <summary>A database handle: a name bound to a client.</summary>
internal sealed class MongoDatabase(MongoClient client, string name) : IMongoDatabase
{
    public string Name => name;

    public MongoClient Client => client;

    public Task<BsonDocument> RunCommandAsync(BsonDocument command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.ElementCount == 0)
        {
            throw new ArgumentException("A command needs at least its name as the first element.", nameof(command));
        }
        return client.RunCommandAsync(name, command, cancellationToken);
    }

    // Sync over the one async path: the library never captures a synchronization context (ConfigureAwait(false)),
    // so blocking here cannot deadlock.
    public BsonDocument RunCommand(BsonDocument command, CancellationToken cancellationToken = default) =>
        RunCommandAsync(command, cancellationToken).GetAwaiter().GetResult();
}
