// MONGODB-OIDC with an Azure managed identity, through MongoAuth.Azure (Azure.Identity):
//   dotnet run --project samples/OidcAzure -- "<connection string>" <audience> [<client id of a user-assigned identity>]
// On Azure (App Service, Functions, a VM, AKS with pod identity) it runs as is. Against the dev server
// (mongoauth serve --oidc-user alice), set the variables serve prints, e.g. IDENTITY_ENDPOINT and IDENTITY_HEADER:
// Azure.Identity then asks the dev server's stand-in instead of the platform's endpoint. See README.md.
using Azure.Identity;
using MongoAuth;
using MongoAuth.Azure;
using MongoDB.Bson;

if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: OidcAzure \"mongodb://host/...\" <audience> [<client id>]");
    return 2;
}

var identity = args.Length == 3 ? ManagedIdentityId.FromUserAssignedClientId(args[2]) : ManagedIdentityId.SystemAssigned;
// Any TokenCredential works (WorkloadIdentityCredential on AKS with workload identity, DefaultAzureCredential...);
// the callback asks it for "<audience>/.default" and MongoAuth caches the token for the whole client.
var callback = AzureOidcCallback.Create(new ManagedIdentityCredential(identity), args[1]);
var settings = MongoClientSettings.FromConnectionString(args[0]) with
{
    Credential = MongoCredential.CreateOidcCredential().WithMechanismProperty("OIDC_CALLBACK", callback),
    ServerSelectionTimeout = TimeSpan.FromSeconds(10),
};

try
{
    await using var client = new MongoClient(settings);
    await client.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1));
    Console.WriteLine($"MONGODB-OIDC (Azure managed identity): authenticated as {await client.GetConnectionStatusAsync()}");
    return 0;
}
catch (MongoException e)
{
    // Azure's own error (no identity assigned, wrong audience) is the inner exception; no token is printed.
    Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}{(e.InnerException is { } inner ? $" <- {inner.GetType().Name}: {inner.Message}" : "")}");
    return 1;
}
