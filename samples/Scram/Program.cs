// SCRAM-SHA-256 with the credential built in code (the password from the environment, never a command line):
//   SAMPLE_PASSWORD=... dotnet run --project samples/Scram -- localhost:27017 alice [ca.pem]
// Try it against the dev server: mongoauth serve --user alice:<a password>:readWrite@app
using MongoAuth;
using MongoDB.Bson;

if (args.Length is < 2 or > 3 || Environment.GetEnvironmentVariable("SAMPLE_PASSWORD") is not { } password)
{
    Console.Error.WriteLine("usage: SAMPLE_PASSWORD=... Scram <host:port> <user> [tlsCAFile]");
    return 2;
}

var settings = new MongoClientSettings
{
    Servers = [Address(args[0])],
    // The user is defined in admin (authSource=admin); SCRAM-SHA-256 needs MongoDB 4.0 or later.
    Credential = MongoCredential.CreateScramSha256Credential("admin", args[1], password),
    UseTls = args.Length == 3,
    Tls = args.Length == 3 ? new MongoTlsSettings { CAFile = args[2] } : new MongoTlsSettings(),
    ServerSelectionTimeout = TimeSpan.FromSeconds(10),
};

try
{
    await using var client = new MongoClient(settings);
    await client.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1));
    Console.WriteLine($"SCRAM-SHA-256: authenticated as {await client.GetConnectionStatusAsync()}");
    return 0;
}
catch (MongoException e)
{
    // Names the mechanism, user, source and failing step; never the password.
    Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}");
    return 1;
}

static MongoServerAddress Address(string hostPort) =>
    hostPort.Split(':') is [var host, var port] ? new MongoServerAddress(host, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)) : new MongoServerAddress(hostPort);
