namespace MongoAuth.Authentication.Oidc;

/// <summary>
/// What the driver passes to an <see cref="IOidcCallback"/> (MongoDB authentication specification, "OIDC Callback").
/// New members may be added in later versions; <see cref="Version"/> says which contract the driver follows.
/// </summary>
public sealed class OidcCallbackParameters
{
    /// <summary>Creates the parameters (the driver does; public for callbacks' own tests).</summary>
    /// <param name="username">The credential's user name, if any.</param>
    /// <param name="timeout">How long the callback may take.</param>
    /// <param name="idpInfo">The identity provider, in the human flow.</param>
    /// <param name="refreshToken">The refresh token the callback returned before, in the human flow.</param>
    public OidcCallbackParameters(string? username, TimeSpan timeout, OidcIdpInfo? idpInfo = null, string? refreshToken = null)
    {
        Username = username;
        Timeout = timeout;
        IdpInfo = idpInfo;
        RefreshToken = refreshToken;
    }

    /// <summary>The version of the callback contract: 1.</summary>
    public int Version => 1;

    /// <summary>The user name of the credential (the client id for Azure, the principal in the human flow), or null.</summary>
    public string? Username { get; }

    /// <summary>
    /// How long the callback may take: the time left before the operation's deadline, at most one minute, in the
    /// machine flow; five minutes in the human flow. The cancellation token fires when it ends.
    /// </summary>
    public TimeSpan Timeout { get; }

    /// <summary>The identity provider the server named (human flow only; null in the machine flow).</summary>
    public OidcIdpInfo? IdpInfo { get; }

    /// <summary>The refresh token the callback returned last time (human flow only), so it can refresh without asking the user again.</summary>
    public string? RefreshToken { get; }

    /// <summary>Describes the call without the refresh token.</summary>
    public override string ToString() =>
        $"{{ Version = 1, Username = {Username ?? "null"}, Timeout = {Timeout}, IdpInfo = {IdpInfo?.ToString() ?? "null"}, RefreshToken = {(RefreshToken is null ? "null" : "<redacted>")} }}";
}
