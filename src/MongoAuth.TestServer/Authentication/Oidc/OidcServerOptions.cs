namespace MongoAuth.TestServer.Authentication.Oidc;

/// <summary>
/// One identity provider the test server trusts for MONGODB-OIDC, like an entry of mongod's
/// <c>oidcIdentityProviders</c>: the issuer (its key set is fetched from its discovery document), the audience tokens
/// must carry, the claim that names the principal, and the IdP information the human flow is given.
/// </summary>
public sealed class OidcServerOptions
{
    /// <summary>The issuer URL; tokens' <c>iss</c> must equal it, and <c>/.well-known/openid-configuration</c> under it names the key set.</summary>
    public required string Issuer { get; init; }

    /// <summary>The audience tokens' <c>aud</c> must hold.</summary>
    public required string Audience { get; init; }

    /// <summary>The claim whose value is the user name (mongod's default: <c>sub</c>).</summary>
    public string PrincipalClaim { get; init; } = "sub";

    /// <summary>The client id the human flow is told to sign in with; null for a machine-only IdP (the field is then left out).</summary>
    public string? ClientId { get; init; } = "mongoauth-human-client";

    /// <summary>The scopes the human flow is told to request.</summary>
    public IReadOnlyList<string> RequestScopes { get; init; } = ["openid"];
}
