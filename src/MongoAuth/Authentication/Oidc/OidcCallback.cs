namespace MongoAuth.Authentication.Oidc;

/// <summary>Builds an <see cref="IOidcCallback"/> from delegates.</summary>
public static class OidcCallback
{
    /// <summary>
    /// A callback from one asynchronous delegate. The synchronous API waits for it on the calling thread; give
    /// <paramref name="getToken"/> as well when a blocking form exists (an SDK's synchronous call), so the synchronous
    /// API never blocks on asynchronous work.
    /// </summary>
    /// <param name="getTokenAsync">Returns the token; must honour the cancellation token.</param>
    /// <param name="getToken">Optional blocking form used by the synchronous API.</param>
    public static IOidcCallback Create(
        Func<OidcCallbackParameters, CancellationToken, Task<OidcToken>> getTokenAsync,
        Func<OidcCallbackParameters, CancellationToken, OidcToken>? getToken = null)
    {
        ArgumentNullException.ThrowIfNull(getTokenAsync);
        return new DelegateCallback(getTokenAsync, getToken);
    }

    private sealed class DelegateCallback(
        Func<OidcCallbackParameters, CancellationToken, Task<OidcToken>> getTokenAsync,
        Func<OidcCallbackParameters, CancellationToken, OidcToken>? getToken) : IOidcCallback
    {
        public OidcToken GetToken(OidcCallbackParameters parameters, CancellationToken cancellationToken) =>
            getToken is not null ? getToken(parameters, cancellationToken) : getTokenAsync(parameters, cancellationToken).GetAwaiter().GetResult();

        public Task<OidcToken> GetTokenAsync(OidcCallbackParameters parameters, CancellationToken cancellationToken) =>
            getTokenAsync(parameters, cancellationToken);

        public override string ToString() => "OidcCallback (delegate)";
    }
}
