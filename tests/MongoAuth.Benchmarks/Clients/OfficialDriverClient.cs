using System.Security.Cryptography.X509Certificates;
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
/// For X.509 the client certificate is loaded from the PKCS#12 file into <c>SslSettings.ClientCertificates</c> when
/// the client is created (the official driver has no <c>tlsCertificateKeyFile</c>).
/// </summary>
internal sealed class OfficialDriverClientFactory : IBenchClientFactory
{
    /// <inheritdoc />
    public string Name => "MongoDB.Driver";

    /// <summary>The package MongoDB.Driver 3.x loads MONGODB-AWS from (the driver itself no longer carries it).</summary>
    internal const string AwsAuthenticationAssembly = "MongoDB.Driver.Authentication.AWS";

    /// <inheritdoc />
    public IBenchClient Create(BenchTarget target, int maxPoolSize) => new OfficialDriverClient(target, maxPoolSize);

    /// <inheritdoc />
    public string? NotMeasured(BenchTarget target) =>
        target.Credential?.Mechanism == "MONGODB-AWS" && !CanLoad(AwsAuthenticationAssembly)
            ? $"MongoDB.Driver 3.x needs the {AwsAuthenticationAssembly} package for MONGODB-AWS, and it is not on this machine's package feed"
            : null;

    private static bool CanLoad(string assembly)
    {
        try
        {
            _ = System.Reflection.Assembly.Load(assembly);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    private sealed class OfficialDriverClient : IBenchClient
    {
        private static readonly BsonDocumentCommand<BsonDocument> Ping = new(new BsonDocument("ping", 1));

        private readonly DriverClient _client;
        private readonly MongoDB.Driver.IMongoDatabase _admin;
        private readonly bool _derivesKeys;
        private readonly X509Certificate2? _certificate;
        private long _opened;

        public OfficialDriverClient(BenchTarget target, int maxPoolSize)
        {
            _derivesKeys = target.Credential?.Mechanism.StartsWith("SCRAM-", StringComparison.Ordinal) == true;
            if (target.Credential?.Mechanism == "GSSAPI")
            {
                OfficialDriverGssapiLibrary.EnsureRegistered();
            }

            var settings = DriverSettings.FromConnectionString(target.ConnectionString(maxPoolSize));
            if (target.ClientCertificate is { } certificate)
            {
                _certificate = X509CertificateLoader.LoadPkcs12FromFile(certificate.Pkcs12File, certificate.Password);
                settings.SslSettings ??= new SslSettings();
                settings.SslSettings.ClientCertificates = [_certificate];
            }

            if (target.Oidc is { } oidc)
            {
                settings.Credential = MongoDB.Driver.MongoCredential.CreateOidcCredential(oidc.OfficialCallback());
            }

            settings.ClusterConfigurator = builder =>
                builder.Subscribe<ConnectionPoolAddedConnectionEvent>(_ => Interlocked.Increment(ref _opened));
            _client = new DriverClient(settings);
            _admin = _client.GetDatabase("admin");
        }

        public long ConnectionsOpened => Interlocked.Read(ref _opened);

        public long? KeyDerivations => _derivesKeys ? ConnectionsOpened : 0;

        public ValueTask PingAsync(CancellationToken cancellationToken) =>
            new(_admin.RunCommandAsync(Ping, cancellationToken: cancellationToken));

        public ValueTask WarmUpAsync(int connections, CancellationToken cancellationToken) =>
            PoolWarmUp.WaitAsync(this, connections, cancellationToken);

        public ValueTask DisposeAsync()
        {
            _client.Dispose();
            _certificate?.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
