using MongoAuth.Authentication;
using MongoAuth.Authentication.Aws;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Aws;

namespace MongoAuth.Tests.Aws;

/// <summary>The in-process test server with MONGODB-AWS over a key table, and clients wired to a test chain.</summary>
internal sealed class AwsTestServer : IAsyncDisposable
{
    public const string UserKey = "AKIAUSERKEYEXAMPLE01";
    public const string UserSecret = "user/Secret+Key/EXAMPLE0000000000000000";
    public const string UserArn = "arn:aws:iam::123456789012:user/alice";
    public const string RoleKey = "ASIAROLEKEYEXAMPLE01";
    public const string RoleSecret = "role/Secret+Key/EXAMPLE0000000000000000";
    public const string RoleToken = "IQoJb3JpZ2luX2VjEXAMPLEsessionTOKEN/+==";
    public const string RoleArn = "arn:aws:sts::123456789012:assumed-role/app/sess1";
    public const string RoleUser = "arn:aws:sts::123456789012:assumed-role/app/*";

    private AwsTestServer(MongoTestServer server, AwsServerMechanism aws)
    {
        Server = server;
        Aws = aws;
    }

    public MongoTestServer Server { get; }

    public AwsServerMechanism Aws { get; }

    public static async Task<AwsTestServer> StartAsync(params AwsIdentity[] extra)
    {
        var server = await MongoTestServer.StartAsync(new TestServerOptions(), CancellationToken.None);
        var aws = new AwsServerMechanism([
            new AwsIdentity(UserKey, UserSecret, UserArn, Roles: [new GrantedRole("readWrite", "app")]),
            new AwsIdentity(RoleKey, RoleSecret, RoleArn, RoleToken, Roles: [new GrantedRole("read", "app")]),
            .. extra]);
        server.RegisterMechanism(aws);
        return new AwsTestServer(server, aws);
    }

    /// <summary>Dependencies with an empty environment, a seam that maps nothing, a private cache and the real clock.</summary>
    public static AwsDependencies Dependencies(FakeAwsEnvironment? environment = null, AwsHttp? http = null, AwsCredentialCache? cache = null, TimeProvider? clock = null) =>
        new(environment ?? new FakeAwsEnvironment(), http ?? AwsTestSeam.Http(new Dictionary<(string, int), int>()), cache ?? new AwsCredentialCache(), clock ?? TimeProvider.System);

    public MongoClientSettings Settings(MongoCredential credential, AwsDependencies dependencies, TimeSpan? connectTimeout = null) => new()
    {
        Servers = [new MongoServerAddress("127.0.0.1", Server.Port)],
        Credential = credential,
        Mechanisms = MechanismRegistry.Default.WithMechanism(AwsDescriptor.MechanismName, (c, _) => new AwsMechanism(c, dependencies)),
        ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(5),
        SocketTimeout = TimeSpan.FromSeconds(10),
        ServerSelectionTimeout = TimeSpan.FromSeconds(5),
    };

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>A custom provider that says which of its two methods the driver called.</summary>
internal sealed class CountingProvider(AwsCredentials credentials) : IAwsCredentialProvider
{
    public int SyncCalls;
    public int AsyncCalls;

    public AwsCredentials GetCredentials(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref SyncCalls);
        return credentials;
    }

    public async Task<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref AsyncCalls);
        await Task.Yield();
        return credentials;
    }
}
