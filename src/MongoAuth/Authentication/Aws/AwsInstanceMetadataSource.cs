using System.Globalization;
using System.Net;
using MongoAuth.Operations;

namespace MongoAuth.Authentication.Aws;

/// <summary>
/// The EC2 instance metadata service, version 2 (docs.aws.amazon.com, "Use IMDSv2"): a session token from
/// <c>PUT /latest/api/token</c>, then the role name and its credentials from
/// <c>/latest/meta-data/iam/security-credentials/</c>, both GETs carrying the token. The address is fixed.
/// </summary>
internal static class AwsInstanceMetadataSource
{
    public const string Name = "EC2 instance metadata (IMDSv2)";

    /// <summary>The instance metadata host: fixed.</summary>
    public static readonly Uri Endpoint = new("http://169.254.169.254");

    // The token is used at once for two requests; the specification caps the lifetime at 21600 s.
    private const int TokenSeconds = 30;

    public static async Task<AwsCredentials> FetchAsync(AwsDependencies dependencies, OperationContext operation)
    {
        string token;
        using (var put = new HttpRequestMessage(HttpMethod.Put, new Uri(Endpoint, "/latest/api/token")))
        {
            put.Headers.TryAddWithoutValidation("X-aws-ec2-metadata-token-ttl-seconds", TokenSeconds.ToString(CultureInfo.InvariantCulture));
            token = (await GetAsync(dependencies, put, "the token request", operation).ConfigureAwait(false)).Trim();
        }

        string role;
        using (var list = Authorized(token, "/latest/meta-data/iam/security-credentials/"))
        {
            role = (await GetAsync(dependencies, list, "the role request", operation).ConfigureAwait(false))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
                ?? throw new AwsSourceException("the instance has no IAM role attached (the role list is empty)");
        }

        if (role.Contains('/', StringComparison.Ordinal) || role.Contains("..", StringComparison.Ordinal))
        {
            throw new AwsSourceException("the role name the instance metadata gave is not a plain name");
        }

        using var credentials = Authorized(token, "/latest/meta-data/iam/security-credentials/" + Uri.EscapeDataString(role));
        return AwsCredentialReply.FromMetadata(await GetAsync(dependencies, credentials, "the credential request", operation).ConfigureAwait(false),
            "the instance metadata credential reply");
    }

    private static HttpRequestMessage Authorized(string token, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Endpoint, path));
        request.Headers.TryAddWithoutValidation("X-aws-ec2-metadata-token", token);
        return request;
    }

    private static async Task<string> GetAsync(AwsDependencies dependencies, HttpRequestMessage request, string what, OperationContext operation)
    {
        var (status, body) = await dependencies.Http.SendAsync(request, operation).ConfigureAwait(false);
        return status == HttpStatusCode.OK ? body : throw new AwsSourceException($"{what} was answered {(int)status} {status}");
    }
}
