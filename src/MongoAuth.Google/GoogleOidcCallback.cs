using Google.Apis.Auth.OAuth2;
using MongoAuth.Authentication.Oidc;
using GoogleOidcTokenOptions = Google.Apis.Auth.OAuth2.OidcTokenOptions;
using OidcToken = MongoAuth.Authentication.Oidc.OidcToken;

namespace MongoAuth.Google;

/// <summary>
/// Turns a Google credential that issues ID tokens (<see cref="IOidcTokenProvider"/>: <c>ComputeCredential</c>, a
/// service-account <c>GoogleCredential</c>) into the MONGODB-OIDC machine callback: each call returns the
/// credential's ID token for the audience (the value the server's <c>oidcIdentityProviders</c> expects).
/// </summary>
public static class GoogleOidcCallback
{
    /// <summary>The callback for <paramref name="audience"/>.</summary>
    /// <param name="credential">The Google credential; it keeps its own token cache.</param>
    /// <param name="audience">The target audience of the ID token.</param>
    public static IOidcCallback Create(IOidcTokenProvider credential, string audience)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentException.ThrowIfNullOrEmpty(audience);
        return new Callback(credential, audience);
    }

    private sealed class Callback(IOidcTokenProvider credential, string audience) : IOidcCallback
    {
        // Google.Apis.Auth has no synchronous ID-token call; the synchronous API waits for the asynchronous one.
        public OidcToken GetToken(OidcCallbackParameters parameters, CancellationToken cancellationToken) =>
            GetTokenAsync(parameters, cancellationToken).GetAwaiter().GetResult();

        public async Task<OidcToken> GetTokenAsync(OidcCallbackParameters parameters, CancellationToken cancellationToken)
        {
            var token = await credential.GetOidcTokenAsync(GoogleOidcTokenOptions.FromTargetAudience(audience).WithTokenFormat(OidcTokenFormat.Full), cancellationToken).ConfigureAwait(false);
            var accessToken = await token.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
            // Google's token object does not expose its lifetime, and the driver does not read tokens: the server's
            // 391 or 18 tells MongoAuth when to ask again, and the credential then refreshes.
            return new OidcToken(accessToken);
        }

        public override string ToString() => $"Google {credential.GetType().Name} for {audience}";
    }
}
