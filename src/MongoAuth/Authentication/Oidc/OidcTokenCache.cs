using System.Diagnostics;
using MongoAuth.Operations;

namespace MongoAuth.Authentication.Oidc;

/// <summary>
/// The client cache of MONGODB-OIDC (one per client): the access token, and for the human flow the IdP information
/// and the refresh token. Callbacks run one at a time, at least 100 ms apart, and the cache is checked again inside
/// the lock, so N connections that open together cause one callback call (authentication specification, "Client
/// Cache" and "Callback" rules). Nothing is locked while a conversation talks to the server.
/// </summary>
internal sealed class OidcTokenCache(TimeProvider clock)
{
    // The spec's minimum gap between two callback calls, so a server that keeps refusing cannot make us hammer the IdP.
    internal static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private OidcCachedToken? _token;
    private long _lastCallTimestamp;
    private int _callCount;

    /// <summary>The cached access token, or null.</summary>
    public OidcCachedToken? Current
    {
        get
        {
            var token = Volatile.Read(ref _token);
            return token is not null && !token.IsExpired(clock.GetUtcNow()) ? token : null;
        }
    }

    /// <summary>The IdP information of the human flow's last two-step conversation.</summary>
    public OidcIdpInfo? IdpInfo { get; private set; }

    /// <summary>The human flow's refresh token.</summary>
    public string? RefreshToken { get; private set; }

    /// <summary>How many times a callback (or built-in environment) was called; read by tests and the benchmarks.</summary>
    public int CallCount => Volatile.Read(ref _callCount);

    /// <summary>Clears the access token if it is still <paramref name="token"/> (compare-and-swap); returns whether it did.</summary>
    public bool Invalidate(OidcCachedToken token) => Interlocked.CompareExchange(ref _token, null, token) == token;

    /// <summary>Forgets the refresh token (the server refused what it produced).</summary>
    public void DropRefreshToken(string? refreshToken)
    {
        _gate.Wait();
        try
        {
            if (RefreshToken == refreshToken)
            {
                RefreshToken = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Remembers the IdP information of a two-step conversation.</summary>
    public void SetIdpInfo(OidcIdpInfo info) => IdpInfo = info;

    /// <summary>
    /// The cached token when there is one, else the result of <paramref name="fetch"/>, run under the lock after
    /// checking the cache again. The wait for the lock ends at the operation's deadline or cancellation.
    /// <paramref name="fetch"/> receives the refresh token held now (human flow) and returns the new token.
    /// </summary>
    public async Task<(OidcCachedToken Token, bool Fetched)> GetOrFetchAsync(
        Func<string?, Task<OidcToken>> fetch, string source, bool allowCached, OperationContext operation)
    {
        if (allowCached && Current is { } cached)
        {
            return (cached, false);
        }
        await WaitAsync(operation).ConfigureAwait(false);
        try
        {
            if (allowCached && Current is { } cachedMeanwhile)
            {
                return (cachedMeanwhile, false);
            }
            await ThrottleAsync(operation).ConfigureAwait(false);
            OidcToken result;
            try
            {
                Interlocked.Increment(ref _callCount);
                result = await fetch(RefreshToken).ConfigureAwait(false);
            }
            finally
            {
                _lastCallTimestamp = Stopwatch.GetTimestamp();
            }
            var now = clock.GetUtcNow();
            var token = new OidcCachedToken(result.AccessToken, source, now, result.ExpiresIn is { } lifetime ? now + lifetime : null);
            Volatile.Write(ref _token, token);
            if (result.RefreshToken is not null)
            {
                RefreshToken = result.RefreshToken;
            }
            return (token, true);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WaitAsync(OperationContext operation)
    {
        var timeout = operation.RemainingMilliseconds;
        var entered = operation.IsAsync
            ? await _gate.WaitAsync(timeout, operation.CancellationToken).ConfigureAwait(false)
            : _gate.Wait(timeout, operation.CancellationToken);
        if (!entered)
        {
            throw operation.TimedOut("MONGODB-OIDC wait for the token callback", null, null, duringAuthentication: true);
        }
    }

    private async Task ThrottleAsync(OperationContext operation)
    {
        if (_lastCallTimestamp == 0)
        {
            return;
        }
        var wait = MinimumInterval - Stopwatch.GetElapsedTime(_lastCallTimestamp);
        if (wait <= TimeSpan.Zero)
        {
            return;
        }
        if (operation.IsAsync)
        {
            await Task.Delay(wait, operation.CancellationToken).ConfigureAwait(false);
        }
        else if (!operation.CancellationToken.CanBeCanceled)
        {
            Thread.Sleep(wait);
        }
        else if (operation.CancellationToken.WaitHandle.WaitOne(wait))
        {
            operation.CancellationToken.ThrowIfCancellationRequested();
        }
    }
}
