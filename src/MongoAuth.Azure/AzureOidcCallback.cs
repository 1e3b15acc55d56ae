using Azure.Core;
using MongoAuth.Authentication.Oidc;

namespace MongoAuth.Azure;

/// <summary>
/// Turns an Azure <see cref="TokenCredential"/> (<c>ManagedIdentityCredential</c>, <c>WorkloadIdentityCredential</c>,
/// <c>DefaultAzureCredential</c>, …) into the MONGODB-OIDC machine callback: each call asks the credential for an access
/// token for <c>&lt;audience&gt;/.default</c> and returns it with its lifetime.
/// </summary>
public static class AzureOidcCallback
{
    /// <summary>The callback for <paramref name="audience"/> (the application ID URI the server expects, e.g. <c>api://…</c>).</summary>
    /// <param name="credential">The Azure credential; it keeps its own token cache and retries.</param>
    /// <param name="audience">The audience; <c>/.default</c> is appended unless already there.</param>
    public static IOidcCallback Create(TokenCredential credential, string audience)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentException.ThrowIfNullOrEmpty(audience);
        return new Callback(credential, audience.EndsWith("/.default", StringComparison.Ordinal) ? audience : audience + "/.default");
    }

    private sealed class Callback(TokenCredential credential, string scope) : IOidcCallback
    {
        public OidcToken GetToken(OidcCallbackParameters parameters, CancellationToken cancellationToken) =>
            Convert(credential.GetToken(new TokenRequestContext([scope]), cancellationToken));

        public async Task<OidcToken> GetTokenAsync(OidcCallbackParameters parameters, CancellationToken cancellationToken) =>
            Convert(await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false));

        private static OidcToken Convert(AccessToken token)
        {
            var lifetime = token.ExpiresOn - DateTimeOffset.UtcNow;
            return new OidcToken(token.Token, lifetime > TimeSpan.Zero ? lifetime : TimeSpan.Zero);
        }

        public override string ToString() => $"Azure {credential.GetType().Name} for {scope}";
    }
}
