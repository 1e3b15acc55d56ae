namespace MongoAuth.Authentication.Oidc;

/// <summary>
/// A token in the client cache: the access token, when it was fetched, when it expires (if the source said) and where
/// it came from. Compared by reference: invalidation removes exactly the token a connection used.
/// </summary>
internal sealed class OidcCachedToken(string accessToken, string source, DateTimeOffset fetchedAt, DateTimeOffset? expiresAt)
{
    public string AccessToken { get; } = accessToken;

    /// <summary>Where it came from: OIDC_CALLBACK, OIDC_HUMAN_CALLBACK or ENVIRONMENT:&lt;name&gt;.</summary>
    public string Source { get; } = source;

    public DateTimeOffset FetchedAt { get; } = fetchedAt;

    /// <summary>When it expires, when the source said (expiresIn); null when unknown.</summary>
    public DateTimeOffset? ExpiresAt { get; } = expiresAt;

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } at && at <= now;

    public override string ToString() => $"OIDC token from {Source}";
}

/// <summary>What a connection remembers about its last OIDC conversation (the spec's Connection Cache).</summary>
/// <param name="Token">The token it sent.</param>
/// <param name="FromCache">Whether the token was already cached when sent (a refusal then retries with a fresh one).</param>
/// <param name="FromRefresh">Human flow: whether the token came from a refresh-token call (a refusal then drops the refresh token).</param>
internal sealed record OidcConnectionState(OidcCachedToken Token, bool FromCache, bool FromRefresh);
