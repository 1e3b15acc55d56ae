using System.Globalization;

namespace MongoAuth.Authentication.Aws;

/// <summary>
/// One set of AWS credentials for MONGODB-AWS: an access key id and its secret, with the session token and expiry of
/// temporary credentials. Returned by an <see cref="IAwsCredentialProvider"/>. <see cref="ToString"/> shows the access
/// key id (an identifier, like a user name) and never the secret or the token.
/// </summary>
public sealed class AwsCredentials
{
    /// <summary>Creates the credentials.</summary>
    /// <param name="accessKeyId">The access key id (AKIA… for an IAM user, ASIA… for temporary credentials).</param>
    /// <param name="secretAccessKey">The secret access key.</param>
    /// <param name="sessionToken">The session token of temporary credentials; null for an IAM user's long-term key.</param>
    /// <param name="expiration">When temporary credentials expire; null when unknown or never.</param>
    /// <exception cref="ArgumentException">The key id or secret is empty, or the token is empty.</exception>
    public AwsCredentials(string accessKeyId, string secretAccessKey, string? sessionToken = null, DateTimeOffset? expiration = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentException.ThrowIfNullOrEmpty(secretAccessKey);
        if (sessionToken is { Length: 0 })
        {
            throw new ArgumentException("The session token must not be empty: pass null when there is none.", nameof(sessionToken));
        }

        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        SessionToken = sessionToken;
        Expiration = expiration;
    }

    /// <summary>The access key id.</summary>
    public string AccessKeyId { get; }

    /// <summary>The secret access key. Never printed.</summary>
    public string SecretAccessKey { get; }

    /// <summary>The session token of temporary credentials, or null. Never printed.</summary>
    public string? SessionToken { get; }

    /// <summary>When temporary credentials expire; null when unknown or never.</summary>
    public DateTimeOffset? Expiration { get; }

    /// <summary>The access key id, whether there is a token, and the expiry; never the secret or the token.</summary>
    public override string ToString() =>
        $"AwsCredentials {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = <redacted>, SessionToken = {(SessionToken is null ? "null" : "<redacted>")}, " +
        $"Expiration = {(Expiration is { } e ? e.ToString("O", CultureInfo.InvariantCulture) : "null")} }}";
}
