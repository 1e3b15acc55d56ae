// MONGODB-OIDC with a Google Cloud service account, through MongoAuth.Google (Google.Apis.Auth):
//   dotnet run --project samples/OidcGcp -- "<connection string>" <audience>
// On Compute Engine, GKE or Cloud Run it runs as is (the metadata server issues the ID token). Against the dev server
// (mongoauth serve --oidc-user alice), set GCE_METADATA_HOST to the host serve prints: Google.Apis.Auth then asks the
// dev server's stand-in. See README.md.
using Google.Apis.Auth.OAuth2;
using MongoAuth;
using MongoAuth.Google;
using MongoDB.Bson;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: OidcGcp \"mongodb://host/...\" <audience>");
    return 2;
}

// ComputeCredential: the instance's service account. A service-account GoogleCredential works too.
var callback = GoogleOidcCallback.Create(new ComputeCredential(), args[1]);
var settings = MongoClientSettings.FromConnectionString(args[0]) with
{
    Credential = MongoCredential.CreateOidcCredential().WithMechanismProperty("OIDC_CALLBACK", callback),
    ServerSelectionTimeout = TimeSpan.FromSeconds(10),
};

try
{
    await using var client = new MongoClient(settings);
    await client.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1));
    Console.WriteLine($"MONGODB-OIDC (Google service account): authenticated as {await client.GetConnectionStatusAsync()}");
    return 0;
}
catch (MongoException e)
{
    Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}{(e.InnerException is { } inner ? $" <- {inner.GetType().Name}: {inner.Message}" : "")}");
    return 1;
}
