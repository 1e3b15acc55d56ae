using MongoAuth.Writes;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace MongoAuth.Collections;

/// <summary>
/// A collection handle: a name, a serializer and a write concern bound to a database (no I/O until an operation runs).
/// Each public method is a thin pair (async, sync) over one private method taking <c>runAsync</c>; the synchronous
/// twin's task is complete when it returns, so <c>GetResult</c> never blocks on the thread pool.
/// </summary>
internal sealed partial class MongoCollection<TDocument> : IMongoCollection<TDocument>
{
    private readonly MongoDatabase _database;
    private readonly CommandExecutor _executor;

    public MongoCollection(MongoDatabase database, string name, CommandExecutor executor, WriteConcern writeConcern, IBsonSerializer<TDocument> serializer)
    {
        _database = database;
        _executor = executor;
        CollectionName = name;
        WriteConcern = writeConcern;
        DocumentSerializer = serializer;
        Indexes = new MongoIndexManager<TDocument>(this, executor);
    }

    public string CollectionName { get; }

    public IMongoDatabase Database => _database;

    public IBsonSerializer<TDocument> DocumentSerializer { get; }

    public WriteConcern WriteConcern { get; }

    public IMongoIndexManager<TDocument> Indexes { get; }

    internal string DatabaseName => _database.Name;

    internal string Namespace => $"{DatabaseName}.{CollectionName}";

    internal WriteTarget Target => new(_executor, DatabaseName, CollectionName, WriteConcern);

    public IMongoCollection<TDocument> WithWriteConcern(WriteConcern writeConcern)
    {
        ArgumentNullException.ThrowIfNull(writeConcern);
        return new MongoCollection<TDocument>(_database, CollectionName, _executor, writeConcern, DocumentSerializer);
    }

    public override string ToString() => Namespace;

    /// <summary>The result of a synchronous run: its task completed before returning.</summary>
    private static T Sync<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Sync(Task task) => task.GetAwaiter().GetResult();

    /// <summary>The serializer of a result type: the collection's own for its document type, the registry's otherwise.</summary>
    private IBsonSerializer<TResult> SerializerOf<TResult>() =>
        typeof(TResult) == typeof(TDocument) ? (IBsonSerializer<TResult>)DocumentSerializer : BsonSerializer.LookupSerializer<TResult>();

    private static void AddIf(BsonDocument command, string name, BsonValue? value)
    {
        if (value is not null)
        {
            command[name] = value;
        }
    }
}
