using MongoAuth.Pooling;
using MongoDB.Bson;

namespace MongoAuth.Benchmarks.Clients;

/// <summary>
/// MongoAuth, configured from the same connection string as the official driver (plus the client certificate file,
/// for X.509, as its <c>tlsCertificateKeyFile</c>). Connections are counted from the CMAP <see cref="ConnectionReadyEvent"/>
/// (raised once handshake and authentication are done). Key derivations are the counter of the client's SCRAM key
/// cache (<see cref="MongoClient.ScramKeyDerivations"/>).
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
            if (target.KeysFromCode && target.Credential is { User: { } key, Password: { } secret })
            {
                settings = settings with { Credential = MongoCredential.CreateMongoAwsCredential(key, secret) };
            }

            if (target.Oidc is { } oidc)
            {
                settings = settings with
                {
                    Credential = MongoCredential.CreateOidcCredential().WithMechanismProperty("OIDC_CALLBACK", oidc.MongoAuthCallback),
                    Mechanisms = oidc.MongoAuthRegistry ?? settings.Mechanisms,
                };
            }

            if (target.ClientCertificate is { } certificate)
            {
                settings = settings with
                {
                    Tls = settings.Tls with { CertificateKeyFile = certificate.Pkcs12File, CertificateKeyFilePassword = certificate.Password },
                };
            }

            _client = new MongoClient(settings);
            _admin = _client.GetDatabase("admin");
        }

        public long ConnectionsOpened => Interlocked.Read(ref _ready);

        public long? KeyDerivations => _client.ScramKeyDerivations;

        public ValueTask PingAsync(CancellationToken cancellationToken) =>
            new(_admin.RunCommandAsync(Ping, cancellationToken));

        public ValueTask WarmUpAsync(int connections, CancellationToken cancellationToken) =>
            PoolWarmUp.WaitAsync(this, connections, cancellationToken);

        public ValueTask DisposeAsync() => _client.DisposeAsync();
    }
}
