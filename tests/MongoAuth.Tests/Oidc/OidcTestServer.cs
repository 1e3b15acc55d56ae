using System.Collections.Concurrent;
using MongoAuth.Authentication;
using MongoAuth.Authentication.Oidc;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Oidc;

namespace MongoAuth.Tests.Oidc;

/// <summary>
/// The test server with MONGODB-OIDC trusting an in-process issuer (<see cref="TestOidcIssuer"/>), and the user
/// <c>alice</c> on <c>$external</c> with readWrite on <c>app</c>. Builds client settings around a callback.
/// </summary>
internal sealed class OidcTestServer : IAsyncDisposable
{
    public const string User = "alice";
    public static readonly GrantedRole Role = new("readWrite", "app");

    private OidcTestServer(TestOidcIssuer issuer, MongoTestServer server, OidcServerMechanism mechanism)
    {
        Issuer = issuer;
        Server = server;
        Mechanism = mechanism;
    }

    public TestOidcIssuer Issuer { get; }

    public MongoTestServer Server { get; }

    public OidcServerMechanism Mechanism { get; }

    public static async Task<OidcTestServer> StartAsync(string? clientId = "mongoauth-human-client", bool answerSpeculativeAuthentication = true)
    {
        var issuer = new TestOidcIssuer();
        var server = await MongoTestServer.StartAsync(new TestServerOptions { AnswerSpeculativeAuthentication = answerSpeculativeAuthentication }, CancellationToken.None);
        var mechanism = new OidcServerMechanism(new OidcServerOptions { Issuer = issuer.Issuer, Audience = TestOidcIssuer.DefaultAudience, ClientId = clientId }, server.Users);
        server.RegisterMechanism(mechanism);
        // The first key-set fetch costs HttpClient's start-up; done here, it cannot outlast a short-lived test token.
        await mechanism.LoadKeysAsync(CancellationToken.None);
        server.Users.AddExternalUser(User, [Role]);
        return new OidcTestServer(issuer, server, mechanism);
    }

    /// <summary>A valid token for alice with <paramref name="lifetime"/> (default one hour).</summary>
    public string Token(TimeSpan? lifetime = null) => Issuer.CreateToken(User, lifetime);

    public string ConnectionString(string options = "") =>
        $"mongodb://127.0.0.1:{Server.Port}/?authMechanism=MONGODB-OIDC&serverSelectionTimeoutMS=10000&connectTimeoutMS=10000{options}";

    /// <summary>Settings whose credential is the machine (or human) callback.</summary>
    public MongoClientSettings Settings(IOidcCallback callback, bool human = false, string? username = null, IReadOnlyList<string>? allowedHosts = null, string options = "")
    {
        var credential = MongoCredential.CreateOidcCredential(username).WithMechanismProperty(human ? "OIDC_HUMAN_CALLBACK" : "OIDC_CALLBACK", callback);
        if (allowedHosts is not null)
        {
            credential = credential.WithMechanismProperty("ALLOWED_HOSTS", allowedHosts);
        }
        return MongoClientSettings.FromConnectionString($"mongodb://127.0.0.1:{Server.Port}/?serverSelectionTimeoutMS=10000&connectTimeoutMS=10000{options}") with { Credential = credential };
    }

    /// <summary>Settings with a built-in ENVIRONMENT whose machine is <paramref name="host"/> (fake variables, files, HTTP).</summary>
    public MongoClientSettings EnvironmentSettings(string properties, OidcHost host, string? username = null, string options = "")
    {
        var settings = MongoClientSettings.FromConnectionString(
            $"mongodb://{(username is null ? "" : username + "@")}127.0.0.1:{Server.Port}/?authMechanism=MONGODB-OIDC&authMechanismProperties={properties}&serverSelectionTimeoutMS=10000&connectTimeoutMS=10000{options}");
        return settings with { Mechanisms = WithHost(host) };
    }

    /// <summary>The default registry with MONGODB-OIDC built over <paramref name="host"/> (the built-in rules still apply).</summary>
    public static MechanismRegistry WithHost(OidcHost host) =>
        MechanismRegistry.Default.WithMechanism("MONGODB-OIDC", (credential, _) => new OidcMechanism(credential, host));

    public int SaslStarts => Server.Statistics.CommandsReceived("saslStart");

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Mechanism.Dispose();
        await Issuer.DisposeAsync();
    }
}

/// <summary>A callback that records its calls and answers with the given function of (call number, parameters), optionally after a delay.</summary>
internal sealed class RecordingCallback(Func<int, OidcCallbackParameters, OidcToken> answer) : IOidcCallback
{
    private int _calls;

    public ConcurrentQueue<OidcCallbackParameters> Calls { get; } = new();

    public ConcurrentQueue<bool> Synchronous { get; } = new();

    public int CallCount => Volatile.Read(ref _calls);

    public TimeSpan Delay { get; init; }

    /// <summary>At most one call may be running; set when two overlapped.</summary>
    public bool Overlapped { get; private set; }

    private int _running;

    public OidcToken GetToken(OidcCallbackParameters parameters, CancellationToken cancellationToken)
    {
        Synchronous.Enqueue(true);
        return Run(parameters, () => { if (Delay > TimeSpan.Zero) { Task.Delay(Delay, cancellationToken).GetAwaiter().GetResult(); } });
    }

    public async Task<OidcToken> GetTokenAsync(OidcCallbackParameters parameters, CancellationToken cancellationToken)
    {
        Synchronous.Enqueue(false);
        if (Interlocked.Increment(ref _running) > 1)
        {
            Overlapped = true;
        }
        try
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }
            Calls.Enqueue(parameters);
            return answer(Interlocked.Increment(ref _calls), parameters);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    private OidcToken Run(OidcCallbackParameters parameters, Action wait)
    {
        if (Interlocked.Increment(ref _running) > 1)
        {
            Overlapped = true;
        }
        try
        {
            wait();
            Calls.Enqueue(parameters);
            return answer(Interlocked.Increment(ref _calls), parameters);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
