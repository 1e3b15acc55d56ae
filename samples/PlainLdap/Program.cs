// PLAIN (LDAP proxy authentication): the server checks the password against its LDAP directory. The password travels
// as is, so MongoAuth sends it only over TLS whose server certificate is verified (or to a loopback address).
//   SAMPLE_PASSWORD=... dotnet run --project samples/PlainLdap -- localhost:27017 alice ca.pem
// Try it against the dev server: mongoauth serve --plain-user alice:<a password>   (or --ldap-servers ... for a directory)
using MongoAuth;
using MongoDB.Bson;

if (args.Length is < 2 or > 3 || Environment.GetEnvironmentVariable("SAMPLE_PASSWORD") is not { } password)
{
    Console.Error.WriteLine("usage: SAMPLE_PASSWORD=... PlainLdap <host:port> <user> [tlsCAFile]");
    return 2;
}

var settings = new MongoClientSettings
{
    Servers = [Address(args[0])],
    // LDAP users live in $external.
    Credential = MongoCredential.CreatePlainCredential("$external", args[1], password),
    UseTls = args.Length == 3,
    Tls = args.Length == 3 ? new MongoTlsSettings { CAFile = args[2] } : new MongoTlsSettings(),
    ServerSelectionTimeout = TimeSpan.FromSeconds(10),
};

try
{
    await using var client = new MongoClient(settings);
    await client.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1));
    Console.WriteLine($"PLAIN: authenticated as {await client.GetConnectionStatusAsync()}");
    return 0;
}
catch (MongoException e)
{
    Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}");
    return 1;
}

static MongoServerAddress Address(string hostPort) =>
    hostPort.Split(':') is [var host, var port] ? new MongoServerAddress(host, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)) : new MongoServerAddress(hostPort);
