namespace MongoAuth.Authentication.Oidc;

/// <summary>
/// Returns an OIDC access token for MONGODB-OIDC: the machine flow (<c>OIDC_CALLBACK</c>, workload identity) or the
/// human flow (<c>OIDC_HUMAN_CALLBACK</c>, workforce identity, where <see cref="OidcCallbackParameters.IdpInfo"/> says
/// which identity provider to sign the user in with). Give it with
/// <c>MongoCredential.CreateOidcCredential().WithMechanismProperty("OIDC_CALLBACK", callback)</c>.
/// </summary>
/// <remarks>
/// The client calls it at most once at a time and caches the token it returns for all its connections, so a callback
/// needs no cache of its own. It is called again only when the server refuses the cached token (expired or revoked).
/// The driver never looks inside the token. The synchronous API calls <see cref="GetToken"/>, the asynchronous API
/// <see cref="GetTokenAsync"/>; <see cref="OidcCallback.Create"/> builds one from a single asynchronous delegate.
/// Both must honour their cancellation token: it fires at the callback's timeout
/// (<see cref="OidcCallbackParameters.Timeout"/>) or when the operation is cancelled.
/// </remarks>
public interface IOidcCallback
{
    /// <summary>Returns a token, blocking the calling thread (the synchronous API's path).</summary>
    /// <param name="parameters">What the driver knows: user name, timeout, and for the human flow the IdP and a refresh token.</param>
    /// <param name="cancellationToken">Fires at the timeout or when the operation is cancelled.</param>
    OidcToken GetToken(OidcCallbackParameters parameters, CancellationToken cancellationToken);

    /// <summary>Returns a token asynchronously (the asynchronous API's path).</summary>
    /// <param name="parameters">What the driver knows: user name, timeout, and for the human flow the IdP and a refresh token.</param>
    /// <param name="cancellationToken">Fires at the timeout or when the operation is cancelled.</param>
    Task<OidcToken> GetTokenAsync(OidcCallbackParameters parameters, CancellationToken cancellationToken);
}
