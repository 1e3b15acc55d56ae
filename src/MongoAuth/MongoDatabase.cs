using MongoDB.Bson;

namespace MongoAuth;

/// <summary>A database handle: a name bound to a client.</summary>
internal sealed class MongoDatabase(MongoClient client, string name) : IMongoDatabase
{
    public string Name => name;

    public MongoClient Client => client;

    public Task<BsonDocument> RunCommandAsync(BsonDocument command, CancellationToken cancellationToken = default) =>
        RunCommandAsync(command, runAsync: true, cancellationToken);

    // One code path: with runAsync false every read and write below is synchronous, so the task is already complete
    // and GetResult does not block on the thread pool.
    public BsonDocument RunCommand(BsonDocument command, CancellationToken cancellationToken = default) =>
        RunCommandAsync(command, runAsync: false, cancellationToken).GetAwaiter().GetResult();

    private Task<BsonDocument> RunCommandAsync(BsonDocument command, bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.ElementCount == 0)
        {
            throw new ArgumentException("A command needs at least its name as the first element.", nameof(command));
        }
        return client.RunCommandAsync(name, command, runAsync, cancellationToken);
    }
}
