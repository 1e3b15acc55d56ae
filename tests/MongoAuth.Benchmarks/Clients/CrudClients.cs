using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;

namespace MongoAuth.Benchmarks.Clients;

/// <summary>
/// The small document of the CRUD rows (about 90 bytes of BSON): an ObjectId <c>_id</c> the driver assigns on insert,
/// a name, two numbers and a flag. Both drivers serialise it with the same MongoDB.Bson class map.
/// </summary>
internal sealed class BenchDocument
{
    /// <summary>The <c>_id</c>; <see cref="ObjectId.Empty"/> until a driver assigns one.</summary>
    [BsonId]
    public ObjectId Id { get; set; }

    public string Name { get; set; } = "";

    public int Age { get; set; }

    public double Score { get; set; }

    public bool Active { get; set; }

    /// <summary><paramref name="count"/> documents with varied fields and no id yet.</summary>
    public static List<BenchDocument> Batch(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new BenchDocument { Name = $"person-{i:D4}", Age = 20 + (i % 50), Score = i * 1.5, Active = i % 3 == 0 })];
}

/// <summary>
/// One driver's client under measurement on data: the operations of the CRUD rows, each written the way an
/// application using that driver writes it (the same calls in both drivers: <c>InsertManyAsync</c>,
/// <c>Find(...).ToListAsync()</c>, <c>Find(...).FirstOrDefaultAsync()</c>).
/// </summary>
internal interface ICrudBenchClient : IAsyncDisposable
{
    /// <summary>Drops <paramref name="collection"/> (not measured: it keeps the server's store from growing).</summary>
    ValueTask DropAsync(string collection, CancellationToken cancellationToken);

    /// <summary>Inserts <paramref name="documents"/> (ordered, one <c>insertMany</c>); the driver assigns their ids.</summary>
    ValueTask InsertManyAsync(string collection, IEnumerable<BenchDocument> documents, CancellationToken cancellationToken);

    /// <summary>Reads every document of <paramref name="collection"/> into POCOs; returns how many.</summary>
    ValueTask<int> FindAllAsync(string collection, CancellationToken cancellationToken);

    /// <summary>Reads the document with <c>_id</c> <paramref name="id"/>, or null.</summary>
    ValueTask<BenchDocument?> FindByIdAsync(string collection, ObjectId id, CancellationToken cancellationToken);
}

/// <summary>Makes CRUD clients of one driver (one column of the CRUD rows; the floor has none: it speaks only ping).</summary>
internal interface ICrudBenchClientFactory
{
    /// <summary>The column name in the report.</summary>
    string Name { get; }

    /// <summary>A new client for <paramref name="target"/> whose pool holds at most <paramref name="maxPoolSize"/> connections.</summary>
    ICrudBenchClient Create(BenchTarget target, int maxPoolSize);
}

/// <summary>MongoAuth on data, configured from the same connection string as the official driver.</summary>
internal sealed class MongoAuthCrudClientFactory : ICrudBenchClientFactory
{
    /// <summary>The database the CRUD rows use.</summary>
    public const string Database = "bench";

    /// <inheritdoc />
    public string Name => "MongoAuth";

    /// <inheritdoc />
    public ICrudBenchClient Create(BenchTarget target, int maxPoolSize) => new Client(target, maxPoolSize);

    private sealed class Client(BenchTarget target, int maxPoolSize) : ICrudBenchClient
    {
        private readonly MongoClient _client = new(target.ConnectionString(maxPoolSize));

        private IMongoCollection<BenchDocument> Collection(string name) => _client.GetDatabase(Database).GetCollection<BenchDocument>(name);

        public ValueTask DropAsync(string collection, CancellationToken cancellationToken) =>
            new(_client.GetDatabase(Database).DropCollectionAsync(collection, cancellationToken));

        public ValueTask InsertManyAsync(string collection, IEnumerable<BenchDocument> documents, CancellationToken cancellationToken) =>
            new(Collection(collection).InsertManyAsync(documents, cancellationToken: cancellationToken));

        public async ValueTask<int> FindAllAsync(string collection, CancellationToken cancellationToken) =>
            (await Collection(collection).Find(FilterDefinition<BenchDocument>.Empty).ToListAsync(cancellationToken).ConfigureAwait(false)).Count;

        public async ValueTask<BenchDocument?> FindByIdAsync(string collection, ObjectId id, CancellationToken cancellationToken) =>
            await Collection(collection).Find(new BsonDocument("_id", id)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

        public ValueTask DisposeAsync() => _client.DisposeAsync();
    }
}

/// <summary>The official MongoDB.Driver on data, configured from the same connection string as MongoAuth.</summary>
internal sealed class OfficialDriverCrudClientFactory : ICrudBenchClientFactory
{
    /// <inheritdoc />
    public string Name => "MongoDB.Driver";

    /// <inheritdoc />
    public ICrudBenchClient Create(BenchTarget target, int maxPoolSize) => new Client(target, maxPoolSize);

    private sealed class Client(BenchTarget target, int maxPoolSize) : ICrudBenchClient
    {
        private readonly MongoDB.Driver.MongoClient _client = new(target.ConnectionString(maxPoolSize));

        private MongoDB.Driver.IMongoCollection<BenchDocument> Collection(string name) =>
            _client.GetDatabase(MongoAuthCrudClientFactory.Database).GetCollection<BenchDocument>(name);

        public ValueTask DropAsync(string collection, CancellationToken cancellationToken) =>
            new(_client.GetDatabase(MongoAuthCrudClientFactory.Database).DropCollectionAsync(collection, cancellationToken));

        public ValueTask InsertManyAsync(string collection, IEnumerable<BenchDocument> documents, CancellationToken cancellationToken) =>
            new(Collection(collection).InsertManyAsync(documents, cancellationToken: cancellationToken));

        public async ValueTask<int> FindAllAsync(string collection, CancellationToken cancellationToken) =>
            (await MongoDB.Driver.IAsyncCursorSourceExtensions.ToListAsync(
                MongoDB.Driver.IMongoCollectionExtensions.Find(Collection(collection), MongoDB.Driver.FilterDefinition<BenchDocument>.Empty),
                cancellationToken).ConfigureAwait(false)).Count;

        public async ValueTask<BenchDocument?> FindByIdAsync(string collection, ObjectId id, CancellationToken cancellationToken) =>
            await MongoDB.Driver.IFindFluentExtensions.FirstOrDefaultAsync(
                MongoDB.Driver.IMongoCollectionExtensions.Find(Collection(collection), new BsonDocument("_id", id)),
                cancellationToken).ConfigureAwait(false);

        public ValueTask DisposeAsync()
        {
            _client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
