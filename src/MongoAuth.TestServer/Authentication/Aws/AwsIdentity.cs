namespace MongoAuth.TestServer.Authentication.Aws;

/// <summary>
/// One AWS identity the test server's MONGODB-AWS knows, standing in for what STS would know about an access key.
/// </summary>
/// <param name="AccessKeyId">The access key id.</param>
/// <param name="SecretAccessKey">The secret the signature is checked with (never printed).</param>
/// <param name="Arn">The identity's ARN as GetCallerIdentity returns it: <c>arn:aws:iam::ACCOUNT:user/NAME</c>, or
/// <c>arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION</c> for temporary credentials.</param>
/// <param name="SessionToken">The session token temporary credentials must present; null for a long-term key.</param>
/// <param name="Expiration">When temporary credentials stop working (STS: ExpiredToken); null = never.</param>
/// <param name="Roles">The roles the <c>$external</c> user named by the simplified ARN has.</param>
public sealed record AwsIdentity(
    string AccessKeyId, string SecretAccessKey, string Arn, string? SessionToken = null, DateTimeOffset? Expiration = null,
    IReadOnlyList<GrantedRole>? Roles = null)
{
    /// <summary>
    /// The <c>$external</c> user name mongod derives from the ARN (mongod's <c>awsIam::makeSimplifiedArn</c>): an
    /// assumed role's session name becomes <c>*</c>, so every session of a role is the same user; other ARNs stay.
    /// </summary>
    public string UserName => SimplifiedArn(Arn);

    /// <summary>The simplified form of <paramref name="arn"/>.</summary>
    public static string SimplifiedArn(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var parts = arn.Split(':', 6);
        if (parts.Length == 6 && parts[2] == "sts" && parts[5].StartsWith("assumed-role/", StringComparison.Ordinal))
        {
            var path = parts[5].Split('/');
            if (path.Length >= 3)
            {
                return $"{string.Join(':', parts[..5])}:assumed-role/{path[1]}/*";
            }
        }

        return arn;
    }

    /// <summary>
    /// Parses <c>AKID:SECRET[:SESSION_TOKEN]:ARN</c> (the command-line form of the standalone server and
    /// <c>mongoauth serve</c>). Keys and session tokens hold no <c>:</c>; the ARN (<c>arn:partition:service:…</c>) does.
    /// </summary>
    /// <exception cref="FormatException">The text has another shape; the message never quotes it (it holds a secret).</exception>
    public static AwsIdentity Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        var arnStart = parts.Length > 2 && parts[2] == "arn" ? 2 : 3;
        if (parts.Length < arnStart + 6 || parts[0].Length == 0 || parts[1].Length == 0 || parts[arnStart] != "arn")
        {
            throw new FormatException("an AWS identity is AKID:SECRET[:SESSION_TOKEN]:ARN (the ARN starts with arn:).");
        }

        return new AwsIdentity(parts[0], parts[1], string.Join(':', parts[arnStart..]), arnStart == 3 ? parts[2] : null);
    }

    /// <summary>Describes the identity without the secret or the token.</summary>
    public override string ToString() => $"{AccessKeyId} ({Arn})";
}
