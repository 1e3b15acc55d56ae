// MONGODB-AWS: the keys come from the environment, never from the connection string (the specification forbids it).
//   AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... dotnet run --project samples/Aws -- "<connection string>" [--sdk]
// Without --sdk, MongoAuth's built-in chain looks in the environment variables, then web identity, ECS and EC2 (as every
// MongoDB driver does); with --sdk, the AWS SDK's own chain through MongoAuth.Aws (profiles, SSO, ...).
// Try it against the dev server: mongoauth serve --aws-identity AKIAEXAMPLE:<a secret>:arn:aws:iam::123456789012:user/dev
using MongoAuth;
using MongoAuth.Aws;
using MongoDB.Bson;

if (args.Length is < 1 or > 2 || (args.Length == 2 && args[1] != "--sdk"))
{
    Console.Error.WriteLine("usage: Aws \"mongodb://host/?authMechanism=MONGODB-AWS...\" [--sdk]");
    return 2;
}

var settings = MongoClientSettings.FromConnectionString(args[0]) with { ServerSelectionTimeout = TimeSpan.FromSeconds(10) };
if (args.Length == 2)
{
    settings = settings with { Credential = MongoAwsSdk.CreateCredential() };
}
else if (settings.Credential is null)
{
    settings = settings with { Credential = MongoCredential.CreateMongoAwsCredential() };
}

try
{
    await using var client = new MongoClient(settings);
    await client.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1));
    // The user is the identity's ARN (an assumed role's session name becomes *), on $external.
    Console.WriteLine($"MONGODB-AWS: authenticated as {await client.GetConnectionStatusAsync()}");
    return 0;
}
catch (MongoException e)
{
    // Names the credential source and the failing step; never a key, secret or session token.
    Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}");
    return 1;
}
