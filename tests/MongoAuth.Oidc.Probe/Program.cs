using Azure.Identity;
using Google.Apis.Auth.OAuth2;
using MongoAuth;
using MongoAuth.Authentication.Oidc;
using MongoAuth.Azure;
using MongoAuth.Google;
using MongoDB.Bson;
using Official = MongoDB.Driver;

// Usage: MongoAuth.Oidc.Probe <azure|google|official-test> <port> [audience]. Connects to 127.0.0.1:<port> with
// MONGODB-OIDC and prints one JSON line of outcomes (the user name, or {error, message}):
//   azure:  {"sync", "async"}: MongoAuth.Azure over a system-assigned ManagedIdentityCredential, whose endpoint the
//           parent chose through Azure's own variables (IDENTITY_ENDPOINT + IDENTITY_HEADER, or
//           AZURE_POD_IDENTITY_AUTHORITY_HOST);
//   google: {"sync", "async"}: MongoAuth.Google over ComputeCredential, whose metadata server is GCE_METADATA_HOST;
//   official-test: {"sync", "async", "officialSync", "officialAsync"}: ENVIRONMENT:test (OIDC_TOKEN_FILE) in our
//           client and in the official MongoDB.Driver.
// Each outcome uses a new client (and, for the SDKs, a new credential), so every mode asks for its own token.
if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: MongoAuth.Oidc.Probe <azure|google|official-test> <port> [audience]");
    return 2;
}

var port = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var audience = args.Length > 2 ? args[2] : "";
var uri = $"mongodb://127.0.0.1:{port}/?serverSelectionTimeoutMS=10000&connectTimeoutMS=10000";
var result = new BsonDocument();

switch (args[0])
{
    case "azure":
        // No retries: a fake that refuses must fail the case at once rather than after Azure's back-off.
        IOidcCallback Azure() => AzureOidcCallback.Create(
            new ManagedIdentityCredential(new ManagedIdentityCredentialOptions(ManagedIdentityId.SystemAssigned) { Retry = { MaxRetries = 0 } }), audience);
        result["sync"] = Ours(() => WithCallback(Azure()), sync: true);
        result["async"] = Ours(() => WithCallback(Azure()), sync: false);
        break;
    case "google":
        IOidcCallback Google() => GoogleOidcCallback.Create(new ComputeCredential(), audience);
        result["sync"] = Ours(() => WithCallback(Google()), sync: true);
        result["async"] = Ours(() => WithCallback(Google()), sync: false);
        break;
    case "official-test":
        var environmentTest = uri + "&authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:test";
        result["sync"] = Ours(() => MongoClientSettings.FromConnectionString(environmentTest), sync: true);
        result["async"] = Ours(() => MongoClientSettings.FromConnectionString(environmentTest), sync: false);
        result["officialSync"] = OfficialDriver(environmentTest + "&directConnection=true", sync: true);
        result["officialAsync"] = OfficialDriver(environmentTest + "&directConnection=true", sync: false);
        break;
    default:
        Console.Error.WriteLine($"unknown case '{args[0]}'");
        return 2;
}

Console.WriteLine(result.ToJson());
return 0;

MongoClientSettings WithCallback(IOidcCallback callback) => MongoClientSettings.FromConnectionString(uri) with
{
    Credential = MongoCredential.CreateOidcCredential().WithMechanismProperty("OIDC_CALLBACK", callback),
};

static BsonValue Ours(Func<MongoClientSettings> settings, bool sync) => Outcome(() =>
{
    var client = new MongoClient(settings());
    try
    {
        var status = sync ? client.GetConnectionStatus() : client.GetConnectionStatusAsync().GetAwaiter().GetResult();
        return status.AuthenticatedUsers[0].User;
    }
    finally
    {
        client.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
});

static BsonValue OfficialDriver(string connectionString, bool sync) => Outcome(() =>
{
    using var client = new Official.MongoClient(connectionString);
    var database = client.GetDatabase("admin");
    var command = new Official.BsonDocumentCommand<BsonDocument>(new BsonDocument("connectionStatus", 1));
    var status = sync ? database.RunCommand(command) : database.RunCommandAsync(command).GetAwaiter().GetResult();
    return status["authInfo"]["authenticatedUsers"][0]["user"].AsString;
});

static BsonValue Outcome(Func<string> run)
{
    try
    {
        return run();
    }
    catch (Exception e)
    {
        return new BsonDocument { { "error", e.GetType().Name }, { "message", e.ToString() } };
    }
}
