// Connects with a connection string, overrides one setting from code, runs ping and prints who we are.
//   dotnet run --project samples/QuickStart -- "mongodb://user:password@localhost:27017/?authSource=admin"
// Start a server to try it against with: ./run.sh   (or: dotnet run --project src/MongoAuth.Cli -- serve)
using Microsoft.Extensions.Logging;
using MongoAuth;
using MongoDB.Bson;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: QuickStart <mongodb connection string>");
    return 2;
}

using var loggerFactory = LoggerFactory.Create(logging => logging.AddConsole().SetMinimumLevel(LogLevel.Warning));

try
{
    // Parsed and validated here, not at first use: a bad option or credential throws MongoConfigurationException now.
    var settings = MongoClientSettings.FromConnectionString(args[0], loggerFactory) with
    {
        ApplicationName = "MongoAuth QuickStart",
        ServerSelectionTimeout = TimeSpan.FromSeconds(5),
    };
    await using var client = new MongoClient(settings);

    var ping = await client.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1));
    var status = await client.GetConnectionStatusAsync();
    Console.WriteLine($"ping: {ping["ok"]}; authenticated as {status}");
    return 0;
}
catch (MongoException e)
{
    // Messages name the option, mechanism, user and step — never a password.
    Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}");
    return 1;
}
