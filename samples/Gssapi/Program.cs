// GSSAPI (Kerberos): with a ticket from kinit no password is needed; SAMPLE_PASSWORD, when set, gets one instead.
// The service principal is mongodb/<host> (SERVICE_NAME and SERVICE_HOST change it; docs/kerberos.md).
//   kinit alice@EXAMPLE.COM && dotnet run --project samples/Gssapi -- localhost:27017 alice@EXAMPLE.COM [ca.pem]
// Try it against the dev server: mongoauth serve --keytab mongodb.keytab --gssapi-user alice@EXAMPLE.COM
using MongoAuth;
using MongoDB.Bson;

if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: [SAMPLE_PASSWORD=...] Gssapi <host:port> <principal> [tlsCAFile]");
    return 2;
}

var password = Environment.GetEnvironmentVariable("SAMPLE_PASSWORD");
var settings = new MongoClientSettings
{
    Servers = [Address(args[0])],
    Credential = password is null
        ? MongoCredential.CreateGssapiCredential(args[1])
        : MongoCredential.CreateGssapiCredential(args[1], password),
    UseTls = args.Length == 3,
    Tls = args.Length == 3 ? new MongoTlsSettings { CAFile = args[2] } : new MongoTlsSettings(),
    ServerSelectionTimeout = TimeSpan.FromSeconds(10),
};

try
{
    await using var client = new MongoClient(settings);
    await client.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1));
    Console.WriteLine($"GSSAPI: authenticated as {await client.GetConnectionStatusAsync()}");
    return 0;
}
catch (MongoException e)
{
    // Says "run kinit" when there is no ticket, and names the service principal the KDC does not know.
    Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}");
    return 1;
}

static MongoServerAddress Address(string hostPort) =>
    hostPort.Split(':') is [var host, var port] ? new MongoServerAddress(host, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)) : new MongoServerAddress(hostPort);
