// MONGODB-OIDC with a callback: the application gets the token its own way (here: reads a file an agent keeps fresh)
// and MongoAuth caches it for every connection of the client, calling back only when the server refuses it.
//   dotnet run --project samples/OidcCallback -- "<connection string>" <token file>
// Try it against the dev server: mongoauth serve --oidc-user alice (it prints the token file and the connection string).
using MongoAuth;
using MongoAuth.Authentication.Oidc;
using MongoDB.Bson;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: OidcCallback \"mongodb://host/...\" <token file>");
    return 2;
}

var tokenFile = args[1];
var calls = 0;
var callback = OidcCallback.Create(async (parameters, cancellationToken) =>
{
    // parameters.Timeout is how long this may take; the cancellation token fires when it is over.
    Interlocked.Increment(ref calls);
    var token = await File.ReadAllTextAsync(tokenFile, cancellationToken);
    return new OidcToken(token.Trim());
});

var settings = MongoClientSettings.FromConnectionString(args[0]) with
{
    Credential = MongoCredential.CreateOidcCredential().WithMechanismProperty("OIDC_CALLBACK", callback),
    ServerSelectionTimeout = TimeSpan.FromSeconds(10),
};

try
{
    await using var client = new MongoClient(settings);
    // Several connections at once: the callback still runs once (the client caches the token).
    await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1))));
    Console.WriteLine($"MONGODB-OIDC (callback called {calls} time(s)): authenticated as {await client.GetConnectionStatusAsync()}");
    return 0;
}
catch (MongoException e)
{
    // Never holds the token.
    Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}");
    return 1;
}
