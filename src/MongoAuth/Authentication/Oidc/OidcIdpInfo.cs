namespace MongoAuth.Authentication.Oidc;

/// <summary>
/// The identity provider the server names in the human flow (the reply to a saslStart without a token):
/// where to sign the user in, the client id to use and the scopes to ask for.
/// </summary>
/// <param name="Issuer">The issuer URL.</param>
/// <param name="ClientId">The OAuth client id to sign in with; null when the server names none (a machine IdP).</param>
/// <param name="RequestScopes">The scopes to request; empty when none are named.</param>
public sealed record OidcIdpInfo(string Issuer, string? ClientId, IReadOnlyList<string> RequestScopes)
{
    /// <summary>Issuer, client id and scopes.</summary>
    public override string ToString() => $"{{ Issuer = {Issuer}, ClientId = {ClientId ?? "null"}, RequestScopes = [{string.Join(", ", RequestScopes)}] }}";
}
