using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MongoAuth.TestServer.Authentication.Oidc;

/// <summary>
/// Verifies a JWT access token as mongod does for MONGODB-OIDC: RS256 only, the key named by <c>kid</c> from the
/// issuer's key set (RFC 7515, RFC 7517), <c>iss</c>, <c>aud</c> (a string or an array), <c>exp</c> required and in
/// the future, <c>nbf</c> if present, no clock skew (RFC 7519). Failures are code 18 with the reason, never the token.
/// </summary>
internal static class JwtVerifier
{
    public static async Task<(string Principal, DateTimeOffset ExpiresAt)> VerifyAsync(
        string token, OidcServerOptions options, JwksKeySet keys, CancellationToken cancellationToken)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw Refuse("the token is not a JWS compact serialization");
        }
        using var header = Parse(parts[0], "header");
        using var claims = Parse(parts[1], "claims");
        if (String(header.RootElement, "alg") != "RS256")
        {
            throw Refuse("the token is not signed with RS256");
        }
        var kid = String(header.RootElement, "kid") ?? throw Refuse("the token names no key (kid)");
        var key = await keys.FindAsync(kid, cancellationToken).ConfigureAwait(false) ?? throw Refuse("the token is signed with a key the issuer does not publish");
        byte[] signature;
        try
        {
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException)
        {
            throw Refuse("the signature is not base64url");
        }
        if (!key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            throw Refuse("the signature does not verify");
        }
        var root = claims.RootElement;
        if (String(root, "iss") != options.Issuer)
        {
            throw Refuse("the issuer (iss) is not the one the server trusts");
        }
        var audiences = root.TryGetProperty("aud", out var aud) ? aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()],
            JsonValueKind.Array => aud.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString() : null).ToArray(),
            _ => [],
        } : [];
        if (!audiences.Contains(options.Audience))
        {
            throw Refuse("the audience (aud) is not the server's");
        }
        var now = DateTimeOffset.UtcNow;
        var expiresAt = Time(root, "exp") ?? throw Refuse("the token has no expiry (exp)");
        if (expiresAt <= now)
        {
            throw Refuse("the token expired");
        }
        if (Time(root, "nbf") is { } notBefore && notBefore > now)
        {
            throw Refuse("the token is not valid yet (nbf)");
        }
        var principal = String(root, options.PrincipalClaim);
        return string.IsNullOrEmpty(principal) ? throw Refuse($"the token has no {options.PrincipalClaim} claim") : (principal, expiresAt);
    }

    private static JsonDocument Parse(string part, string what)
    {
        try
        {
            return JsonDocument.Parse(Base64Url.DecodeFromChars(part));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw Refuse($"the token's {what} is not base64url JSON");
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static ServerCommandException Refuse(string reason) => new(18, "AuthenticationFailed", $"Authentication failed: {reason}.");
}
