// MONGODB-X509: the client certificate is the credential (no password); the user is the certificate's RFC 2253
// subject in $external, and authentication rides in the TLS handshake's hello (no extra round trip).
//   dotnet run --project samples/X509 -- localhost:27017 ca.pem client.pem
// Try it against the dev server: mongoauth serve --tls-client-ca client-ca.pem --x509-user "CN=client,O=Example"
using MongoAuth;
using MongoDB.Bson;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: X509 <host:port> <tlsCAFile> <client certificate and key PEM>");
    return 2;
}

var settings = new MongoClientSettings
{
    Servers = [Address(args[0])],
    Credential = MongoCredential.CreateMongoX509Credential(),
    UseTls = true,
    // An encrypted key takes CertificateKeyFilePassword as well.
    Tls = new MongoTlsSettings { CAFile = args[1], CertificateKeyFile = args[2] },
    ServerSelectionTimeout = TimeSpan.FromSeconds(10),
};

try
{
    await using var client = new MongoClient(settings);
    await client.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1));
    Console.WriteLine($"MONGODB-X509: authenticated as {await client.GetConnectionStatusAsync()}");
    return 0;
}
catch (MongoException e)
{
    Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}");
    return 1;
}

static MongoServerAddress Address(string hostPort) =>
    hostPort.Split(':') is [var host, var port] ? new MongoServerAddress(host, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)) : new MongoServerAddress(hostPort);
