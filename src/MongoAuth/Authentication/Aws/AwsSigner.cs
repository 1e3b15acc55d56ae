using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MongoAuth.Authentication.Aws;

/// <summary>
/// AWS Signature Version 4 (docs.aws.amazon.com, "Create a signed AWS API request") over a canonical request built
/// here, header by header. The AWS SDK's request signer cannot be used for MONGODB-AWS: it always adds and signs
/// <c>x-amz-content-sha256</c>, which mongod does not forward to STS, so STS would reject every such signature.
/// </summary>
internal static class AwsSigner
{
    /// <summary>The body of the request MONGODB-AWS signs (43 bytes).</summary>
    public const string GetCallerIdentityBody = "Action=GetCallerIdentity&Version=2011-06-15";

    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>
    /// The <c>Authorization</c> header of the GetCallerIdentity request that MONGODB-AWS sends in its second message
    /// (MongoDB authentication specification, MONGODB-AWS): POST / to <paramref name="host"/> with the server's nonce
    /// and the GS2 channel-binding flag <c>n</c> as headers, every header signed.
    /// </summary>
    public static string AuthorizeGetCallerIdentity(AwsCredentials credentials, string host, string region, string amzDate, ReadOnlySpan<byte> serverNonce)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("content-length", GetCallerIdentityBody.Length.ToString(CultureInfo.InvariantCulture)),
            new("content-type", "application/x-www-form-urlencoded"),
            new("host", host),
            new("x-amz-date", amzDate),
        };
        if (credentials.SessionToken is { } token)
        {
            headers.Add(new("x-amz-security-token", token));
        }

        headers.Add(new("x-mongodb-gs2-cb-flag", "n"));
        headers.Add(new("x-mongodb-server-nonce", Convert.ToBase64String(serverNonce)));
        return Authorize(credentials, "POST", "/", "", headers, HexSha256(Encoding.UTF8.GetBytes(GetCallerIdentityBody)), region, "sts", amzDate);
    }

    /// <summary>
    /// The SigV4 <c>Authorization</c> header of a request: <paramref name="headers"/> are lower-case names with trimmed
    /// values, every one signed, in any order; <paramref name="canonicalQuery"/> is already canonical.
    /// </summary>
    public static string Authorize(
        AwsCredentials credentials, string method, string path, string canonicalQuery,
        IReadOnlyList<KeyValuePair<string, string>> headers, string payloadHash, string region, string service, string amzDate)
    {
        var sorted = headers.OrderBy(h => h.Key, StringComparer.Ordinal).ToList();
        var signedHeaders = string.Join(';', sorted.Select(h => h.Key));
        var canonical = new StringBuilder()
            .Append(method).Append('\n')
            .Append(path).Append('\n')
            .Append(canonicalQuery).Append('\n');
        foreach (var (name, value) in sorted)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);

        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{HexSha256(Encoding.UTF8.GetBytes(canonical.ToString()))}";
        var key = SigningKey(credentials.SecretAccessKey, date, region, service);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    /// <summary>The X-Amz-Date form of <paramref name="time"/>: <c>yyyyMMddTHHmmssZ</c> in UTC.</summary>
    public static string AmzDate(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Lower-case hex SHA-256.</summary>
    public static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }
}
