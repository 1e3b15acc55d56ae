using MongoAuth;
using MongoAuth.Aws;
using MongoDB.Bson;

// Usage: MongoAuth.Aws.Probe <port>. Connects to 127.0.0.1:<port> with MONGODB-AWS credentials from the AWS SDK's
// default chain, runs connectionStatus once synchronously and once asynchronously (each on a new client), and prints
// one JSON line: {"sync": user or error, "async": user or error, "sdk": credential type}.
var port = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var provider = new AwsSdkCredentialProvider();

MongoClientSettings Settings() => new()
{
    Servers = [new MongoServerAddress("127.0.0.1", port)],
    Credential = MongoCredential.CreateMongoAwsCredential().WithMechanismProperty(MongoAwsSdk.CredentialProviderProperty, provider),
    ConnectTimeout = TimeSpan.FromSeconds(10),
    ServerSelectionTimeout = TimeSpan.FromSeconds(10),
};

static BsonValue Outcome(Func<MongoConnectionStatus> run)
{
    try
    {
        return run().AuthenticatedUsers[0].User;
    }
    catch (Exception e)
    {
        return new BsonDocument { { "error", e.GetType().Name }, { "message", e.Message } };
    }
}

BsonValue sync;
await using (var client = new MongoClient(Settings()))
{
    sync = Outcome(() => client.GetConnectionStatus());
}

BsonValue asyncOutcome;
await using (var client = new MongoClient(Settings()))
{
    asyncOutcome = Outcome(() => client.GetConnectionStatusAsync().GetAwaiter().GetResult());
}

// The one-call form builds the same credential.
_ = MongoAwsSdk.CreateCredential();
Console.WriteLine(new BsonDocument { { "sync", sync }, { "async", asyncOutcome }, { "sdk", (BsonValue?)provider.SdkCredentialType ?? BsonNull.Value } }.ToJson());
