using MongoAuth.Authentication.Scram;
using MongoAuth.Pooling;
using MongoDB.Bson;

namespace MongoAuth.Benchmarks.Clients;

/// <summary>
/// MongoAuth, configured from the same connection string as the official driver. Connections are counted from the
/// CMAP <see cref="ConnectionReadyEvent"/> (raised once handshake and authentication are done). Key derivations are
/// the counter of the client's <see cref="ScramKeyCache"/>: SCRAM-SHA-256 is registered for this client with a cache
/// the benchmark holds, built exactly as the built-in registration builds it.
/// </summary>
internal sealed class MongoAuthClientFactory : IBenchClientFactory
{
    /// <inheritdoc />
    public string Name => "MongoAuth";

    /// <inheritdoc />
    public IBenchClient Create(BenchTarget target, int maxPoolSize) => new MongoAuthBenchClient(target, maxPoolSize);

    private sealed class MongoAuthBenchClient : IBenchClient
    {
        private static readonly BsonDocument Ping = new("ping", 1);

        private readonly MongoClient _client;
        private readonly IMongoDatabase _admin;
        private readonly ScramKeyCache _keyCache = new();
        private long _ready;

        public MongoAuthBenchClient(BenchTarget target, int maxPoolSize)
        {
            var settings = MongoClientSettings.FromConnectionString(target.ConnectionString(maxPoolSize)) with
            {
                ConnectionPoolEventHandler = e =>
                {
                    if (e is ConnectionReadyEvent)
                    {
                        Interlocked.Increment(ref _ready);
                    }
                },
            };
            settings.Mechanisms.Register("SCRAM-SHA-256",
                (credential, _) => new ScramSha256Mechanism(credential, _keyCache, ScramMessages.NewNonce));
            _client = new MongoClient(settings);
            _admin = _client.GetDatabase("admin");
        }

        public long ConnectionsOpened => Interlocked.Read(ref _ready);

        public long? KeyDerivations => _keyCache.DerivationCount;

        public ValueTask PingAsync(CancellationToken cancellationToken) =>
            new(_admin.RunCommandAsync(Ping, cancellationToken));

        public ValueTask DisposeAsync() => _client.DisposeAsync();
    }
}
