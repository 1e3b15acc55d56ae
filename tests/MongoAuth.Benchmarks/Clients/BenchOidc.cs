using MongoAuth.Authentication;
using MongoAuth.Authentication.Oidc;
using OfficialOidc = MongoDB.Driver.Authentication.Oidc;

namespace MongoAuth.Benchmarks.Clients;

/// <summary>
/// The MONGODB-OIDC rows' callback, the same for both drivers: it returns one token minted before the run (so the
/// rows time the drivers, not RSA signing). <see cref="Cached"/> says whether a new client starts with the token
/// already cached:
/// <list type="bullet">
/// <item>fresh: every client calls the callback on its first connection and authenticates with saslStart. MongoAuth's
/// cache is per client anyway; the official driver's is process-wide, keyed by configuration (which holds the callback
/// object), so it gets a new callback object per client;</item>
/// <item>cached: the token is in the cache when the client is made, so the first connection sends it in hello
/// (speculative authentication, one round trip less). The official driver gets the same callback object every time,
/// so its process-wide cache serves it; MongoAuth clients share one MONGODB-OIDC mechanism (and so one token cache)
/// through their mechanism registry, the closest equivalent.</item>
/// </list>
/// </summary>
/// <param name="token">The access token (never printed).</param>
/// <param name="cached">Whether new clients find the token cached.</param>
internal sealed class BenchOidc(string token, bool cached)
{
    private readonly string _token = token;
    private readonly Lock _gate = new();
    private OidcMechanism? _shared;
    private DriverCallback? _sharedOfficial;
    private int _mongoAuthCalls;
    private int _officialCalls;

    public bool Cached => cached;

    /// <summary>Callback calls made by MongoAuth clients.</summary>
    public int MongoAuthCalls => Volatile.Read(ref _mongoAuthCalls);

    /// <summary>Callback calls made by official-driver clients.</summary>
    public int OfficialCalls => Volatile.Read(ref _officialCalls);

    /// <summary>MongoAuth's OIDC_CALLBACK.</summary>
    public IOidcCallback MongoAuthCallback => OidcCallback.Create(
        (_, _) => Task.FromResult(Count(ref _mongoAuthCalls)),
        (_, _) => Count(ref _mongoAuthCalls));

    /// <summary>The registry of a MongoAuth client: with <see cref="Cached"/>, every client gets the same mechanism.</summary>
    public MechanismRegistry? MongoAuthRegistry => cached
        ? MechanismRegistry.Default.WithMechanism("MONGODB-OIDC", (credential, _) =>
        {
            lock (_gate)
            {
                return _shared ??= new OidcMechanism(credential);
            }
        })
        : null;

    /// <summary>The official driver's callback: one object for the cached row, a new one per client for the fresh row.</summary>
    public OfficialOidc.IOidcCallback OfficialCallback()
    {
        if (!cached)
        {
            return new DriverCallback(this);
        }
        lock (_gate)
        {
            return _sharedOfficial ??= new DriverCallback(this);
        }
    }

    private OidcToken Count(ref int calls)
    {
        Interlocked.Increment(ref calls);
        return new OidcToken(_token, TimeSpan.FromHours(1));
    }

    /// <summary>Says which row, never the token.</summary>
    public override string ToString() => cached ? "OIDC (cached token)" : "OIDC (fresh token)";

    private sealed class DriverCallback(BenchOidc owner) : OfficialOidc.IOidcCallback
    {
        public OfficialOidc.OidcAccessToken GetOidcAccessToken(OfficialOidc.OidcCallbackParameters parameters, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref owner._officialCalls);
            return new OfficialOidc.OidcAccessToken(owner._token, TimeSpan.FromHours(1));
        }

        public Task<OfficialOidc.OidcAccessToken> GetOidcAccessTokenAsync(OfficialOidc.OidcCallbackParameters parameters, CancellationToken cancellationToken) =>
            Task.FromResult(GetOidcAccessToken(parameters, cancellationToken));
    }
}
