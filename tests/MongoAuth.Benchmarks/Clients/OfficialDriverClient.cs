using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;
using DriverClient = MongoDB.Driver.MongoClient;
using DriverSettings = MongoDB.Driver.MongoClientSettings;

namespace MongoAuth.Benchmarks.Clients;

/// <summary>
/// The official MongoDB.Driver, configured from the same connection string as MongoAuth. Its SCRAM key cache lives
/// in a per-connection authenticator, so each opened connection runs PBKDF2 once: key derivations are counted as
/// connections added to the pool (<c>ConnectionPoolAddedConnectionEvent</c>, raised once a pooled connection has
/// finished its handshake and authentication; monitoring connections, which do not authenticate, are not counted).
/// </summary>
internal sealed class OfficialDriverClientFactory : IBenchClientFactory
{
    /// <inheritdoc />
    public string Name => "MongoDB.Driver";

    /// <inheritdoc />
    public IBenchClient Create(BenchTarget target, int maxPoolSize) => new OfficialDriverClient(target, maxPoolSize);

    private sealed class OfficialDriverClient : IBenchClient
    {
        private static readonly BsonDocumentCommand<BsonDocument> Ping = new(new BsonDocument("ping", 1));

        private readonly DriverClient _client;
        private readonly MongoDB.Driver.IMongoDatabase _admin;
        private readonly bool _authenticates;
        private long _opened;

        public OfficialDriverClient(BenchTarget target, int maxPoolSize)
        {
            _authenticates = target.Credential is not null;
            var settings = DriverSettings.FromConnectionString(target.ConnectionString(maxPoolSize));
            settings.ClusterConfigurator = builder =>
                builder.Subscribe<ConnectionPoolAddedConnectionEvent>(_ => Interlocked.Increment(ref _opened));
            _client = new DriverClient(settings);
            _admin = _client.GetDatabase("admin");
        }

        public long ConnectionsOpened => Interlocked.Read(ref _opened);

        public long? KeyDerivations => _authenticates ? ConnectionsOpened : 0;

        public ValueTask PingAsync(CancellationToken cancellationToken) =>
            new(_admin.RunCommandAsync(Ping, cancellationToken: cancellationToken));

        public ValueTask DisposeAsync()
        {
            _client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
