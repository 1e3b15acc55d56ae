using System.Security.Cryptography;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Data;

/// <summary>
/// The in-memory data of one test server, shared by all its connections: databases → collections → documents, and
/// the open cursors. One lock guards everything (<see cref="Sync"/>): commands take it for their whole work, which
/// keeps each command atomic, as a test server needs, at the cost of concurrency it does not need.
/// </summary>
internal sealed class DataStore
{
    private readonly Dictionary<string, SortedDictionary<string, StoredCollection>> _databases = new(StringComparer.Ordinal);
    private readonly Dictionary<long, ServerCursor> _cursors = [];

    /// <summary>The lock every data command holds while it reads or changes the store.</summary>
    public object Sync { get; } = new();

    /// <summary>How many cursors are open (tests assert that clients close theirs).</summary>
    public int OpenCursorCount
    {
        get
        {
            lock (Sync)
            {
                return _cursors.Count;
            }
        }
    }

    public IEnumerable<string> DatabaseNames => _databases.Where(d => d.Value.Count > 0).Select(d => d.Key).Order(StringComparer.Ordinal);

    public IEnumerable<StoredCollection> Collections(string database) =>
        _databases.TryGetValue(database, out var collections) ? collections.Values : [];

    public StoredCollection? Find(string database, string collection) =>
        _databases.TryGetValue(database, out var collections) ? collections.GetValueOrDefault(collection) : null;

    /// <summary>The collection, created (implicitly, as an insert or createIndexes creates it) when missing.</summary>
    public StoredCollection GetOrCreate(string database, string collection, out bool created)
    {
        if (Find(database, collection) is { } existing)
        {
            created = false;
            return existing;
        }

        created = true;
        return Create(database, collection, null);
    }

    public StoredCollection Create(string database, string collection, BsonDocument? options)
    {
        if (!_databases.TryGetValue(database, out var collections))
        {
            collections = new SortedDictionary<string, StoredCollection>(StringComparer.Ordinal);
            _databases[database] = collections;
        }

        var created = new StoredCollection(database, collection, options);
        collections[collection] = created;
        return created;
    }

    public bool Drop(string database, string collection) =>
        _databases.TryGetValue(database, out var collections) && collections.Remove(collection);

    public void DropDatabase(string database) => _databases.Remove(database);

    /// <summary>Opens a cursor over the rest of a result; mongod's cursor ids are random positive 64-bit numbers.</summary>
    public ServerCursor OpenCursor(string database, string collection, List<BsonDocument> remaining)
    {
        long id;
        do
        {
            id = RandomNumberGenerator.GetInt32(1, int.MaxValue) * (long)int.MaxValue + RandomNumberGenerator.GetInt32(int.MaxValue);
        }
        while (_cursors.ContainsKey(id));

        var cursor = new ServerCursor(id, database, collection, remaining);
        _cursors[id] = cursor;
        return cursor;
    }

    public ServerCursor? FindCursor(long id) => _cursors.GetValueOrDefault(id);

    public bool CloseCursor(long id) => _cursors.Remove(id);
}
