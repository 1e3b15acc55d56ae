using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace MongoAuth.TestServer.Authentication.Aws;

/// <summary>
/// The check STS would make of the GetCallerIdentity request a MONGODB-AWS client signed, made locally: mongod
/// rebuilds the request from the client's <c>a</c>, <c>d</c>, <c>t</c> and its own nonce and host, and STS verifies
/// the SigV4 signature (docs.aws.amazon.com, "Signature Version 4"). Written here independently of the driver's signer,
/// so that the two disagreeing fails the tests. Returns why a request is refused, or null when it is accepted.
/// </summary>
internal static partial class AwsSignatureCheck
{
    /// <summary>STS's own window for X-Amz-Date.</summary>
    public static readonly TimeSpan DateWindow = TimeSpan.FromMinutes(15);

    private const string Body = "Action=GetCallerIdentity&Version=2011-06-15";

    [GeneratedRegex("^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$", RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationPattern();

    /// <summary>Checks one client-second message; on success <paramref name="identity"/> is the key's owner.</summary>
    public static string? Verify(
        string authorization, string amzDate, string? token, byte[] serverNonce, string host, string region,
        IReadOnlyDictionary<string, AwsIdentity> identities, DateTimeOffset now, out AwsIdentity? identity)
    {
        identity = null;
        var match = AuthorizationPattern().Match(authorization);
        if (!match.Success)
        {
            return "the Authorization header is malformed";
        }

        var scope = match.Groups[1].Value.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return "the credential scope is malformed";
        }

        if (!identities.TryGetValue(scope[0], out var key))
        {
            return "the access key id is unknown";
        }

        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return "X-Amz-Date is malformed";
        }

        if (scope[1] != amzDate[..8])
        {
            return "the credential scope's date is not X-Amz-Date's";
        }

        if (scope[2] != region || scope[3] != "sts")
        {
            return $"the credential scope is not {region}/sts";
        }

        if ((now - signedAt).Duration() > DateWindow)
        {
            return "X-Amz-Date is more than 15 minutes from the server's clock (signature expired)";
        }

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-length"] = "43",
            ["content-type"] = "application/x-www-form-urlencoded",
            ["host"] = host,
            ["x-amz-date"] = amzDate,
            ["x-mongodb-gs2-cb-flag"] = "n",
            ["x-mongodb-server-nonce"] = Convert.ToBase64String(serverNonce),
        };
        if (token is not null)
        {
            headers["x-amz-security-token"] = token;
        }

        var signedHeaders = string.Join(';', headers.Keys);
        if (match.Groups[2].Value != signedHeaders)
        {
            return $"SignedHeaders is not exactly {signedHeaders}";
        }

        var canonical = new StringBuilder("POST\n/\n\n");
        foreach (var (name, value) in headers)
        {
            canonical.Append(CultureInfo.InvariantCulture, $"{name}:{value}\n");
        }

        canonical.Append(CultureInfo.InvariantCulture, $"\n{signedHeaders}\n{Hex(SHA256.HashData(Encoding.ASCII.GetBytes(Body)))}");
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{string.Join('/', scope[1..])}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var signingKey = Encoding.UTF8.GetBytes("AWS4" + key.SecretAccessKey);
        foreach (var part in new[] { scope[1], scope[2], scope[3], scope[4] })
        {
            signingKey = HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(part));
        }

        var expected = Encoding.ASCII.GetBytes(Hex(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign))));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(match.Groups[3].Value)))
        {
            return "signature mismatch";
        }

        if (key.SessionToken is not null && (token is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(key.SessionToken))))
        {
            return "the security token is missing or invalid";
        }

        if (key.SessionToken is null && token is not null)
        {
            return "a security token was sent for a long-term key";
        }

        if (key.Expiration is { } expiration && expiration <= now)
        {
            return "the security token included in the request is expired";
        }

        identity = key;
        return null;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
