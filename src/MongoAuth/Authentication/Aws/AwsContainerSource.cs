using System.Net;
using MongoAuth.Operations;

namespace MongoAuth.Authentication.Aws;

/// <summary>
/// The ECS (and EKS Pod Identity) container credential endpoint: <c>http://169.254.170.2</c> +
/// <c>AWS_CONTAINER_CREDENTIALS_RELATIVE_URI</c> as the MongoDB authentication specification says, or the whole URL in
/// <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c> (which the AWS SDKs also read; Pod Identity sets it) with the token of
/// <c>AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE</c> or <c>AWS_CONTAINER_AUTHORIZATION_TOKEN</c> as the
/// <c>Authorization</c> header. As in the AWS SDKs, a full URL must be https, or http to loopback or to one of the
/// container link-local addresses, so that credentials cannot be sent in clear across a network.
/// </summary>
internal static class AwsContainerSource
{
    public const string Name = "ECS container credentials";
    public const string RelativeUriVariable = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
    public const string FullUriVariable = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    public const string TokenVariable = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
    public const string TokenFileVariable = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

    /// <summary>The ECS credential host: fixed.</summary>
    public static readonly Uri Endpoint = new("http://169.254.170.2");

    private static readonly HashSet<string> HttpHosts = new(StringComparer.OrdinalIgnoreCase) { "169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "localhost" };

    /// <summary>Whether the environment points at a container endpoint (then EC2 is never tried).</summary>
    public static bool IsConfigured(IAwsEnvironment environment) =>
        environment.Variable(RelativeUriVariable) is not null || environment.Variable(FullUriVariable) is not null;

    public static async Task<AwsCredentials> FetchAsync(AwsDependencies dependencies, OperationContext operation)
    {
        var environment = dependencies.Environment;
        var uri = Target(environment);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd("application/json");
        if (await AuthorizationAsync(environment, operation).ConfigureAwait(false) is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var (status, body) = await dependencies.Http.SendAsync(request, operation).ConfigureAwait(false);
        if (status != HttpStatusCode.OK)
        {
            throw new AwsSourceException($"{uri.GetLeftPart(UriPartial.Authority)} answered {(int)status} {status}");
        }

        return AwsCredentialReply.FromMetadata(body, "the container credential reply");
    }

    private static Uri Target(IAwsEnvironment environment)
    {
        if (environment.Variable(RelativeUriVariable) is { } relative)
        {
            if (!relative.StartsWith('/') || relative.StartsWith("//", StringComparison.Ordinal))
            {
                throw new AwsSourceException($"{RelativeUriVariable} must be a path starting with one '/'");
            }

            return new Uri(Endpoint, relative);
        }

        var full = environment.Variable(FullUriVariable)!;
        if (!Uri.TryCreate(full, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new AwsSourceException($"{FullUriVariable} is not an http or https URL");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !IsAllowedHttpHost(uri))
        {
            throw new AwsSourceException(
                $"{FullUriVariable} is http to {uri.Host}; http is allowed only to loopback, 169.254.170.2, 169.254.170.23 or fd00:ec2::23 (use https)");
        }

        return uri;
    }

    private static bool IsAllowedHttpHost(Uri uri) =>
        HttpHosts.Contains(uri.Host)
        || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static async Task<string?> AuthorizationAsync(IAwsEnvironment environment, OperationContext operation)
    {
        if (environment.Variable(TokenFileVariable) is { } file)
        {
            try
            {
                return (await environment.ReadFileAsync(file, operation.IsAsync, operation.CancellationToken).ConfigureAwait(false)).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new AwsSourceException($"the authorization token file {file} ({TokenFileVariable}) cannot be read: {e.Message.TrimEnd('.')}", e);
            }
        }

        return environment.Variable(TokenVariable);
    }
}
