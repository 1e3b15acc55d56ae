namespace MongoAuth.Authentication.Oidc;

/// <summary>What an <see cref="IOidcCallback"/> returns: the access token, how long it lives, and (human flow) a refresh token.</summary>
public sealed class OidcToken
{
    /// <summary>Creates a result.</summary>
    /// <param name="accessToken">The access token (a JWT); the driver sends it as is, without reading it.</param>
    /// <param name="expiresIn">How long the token stays valid; null means the driver does not know (it then waits for the server to refuse it).</param>
    /// <param name="refreshToken">A refresh token (human flow), handed back to the callback on the next call.</param>
    /// <exception cref="ArgumentException">The access token is empty or <paramref name="expiresIn"/> is negative.</exception>
    public OidcToken(string accessToken, TimeSpan? expiresIn = null, string? refreshToken = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        if (expiresIn < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresIn), "An OIDC token cannot expire in a negative time.");
        }
        AccessToken = accessToken;
        ExpiresIn = expiresIn;
        RefreshToken = refreshToken;
    }

    /// <summary>The access token. Never printed by the driver.</summary>
    public string AccessToken { get; }

    /// <summary>How long the token stays valid from when it was returned; null when unknown.</summary>
    public TimeSpan? ExpiresIn { get; }

    /// <summary>The refresh token, if any. Never printed by the driver.</summary>
    public string? RefreshToken { get; }

    /// <summary>Describes the result without either token.</summary>
    public override string ToString() =>
        $"{{ AccessToken = <redacted>, ExpiresIn = {ExpiresIn?.ToString() ?? "unknown"}, RefreshToken = {(RefreshToken is null ? "null" : "<redacted>")} }}";
}
