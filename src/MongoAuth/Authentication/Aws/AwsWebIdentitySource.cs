using System.Net;
using System.Security.Cryptography;
using MongoAuth.Operations;

namespace MongoAuth.Authentication.Aws;

/// <summary>
/// AssumeRoleWithWebIdentity (EKS IAM roles for service accounts and other OIDC federations): the token in
/// <c>AWS_WEB_IDENTITY_TOKEN_FILE</c> is exchanged at STS for temporary credentials of <c>AWS_ROLE_ARN</c>, as the
/// MongoDB authentication specification's "manual" form: POST to https://sts.amazonaws.com/ with the parameters in
/// the query and <c>Accept: application/json</c>.
/// </summary>
internal static class AwsWebIdentitySource
{
    public const string Name = "web identity (AssumeRoleWithWebIdentity)";
    public const string TokenFileVariable = "AWS_WEB_IDENTITY_TOKEN_FILE";
    public const string RoleArnVariable = "AWS_ROLE_ARN";
    public const string SessionNameVariable = "AWS_ROLE_SESSION_NAME";

    /// <summary>The global STS endpoint: fixed, with no setting to move it.</summary>
    public static readonly Uri Endpoint = new("https://sts.amazonaws.com/");

    /// <summary>Why the source does not apply, or null when both variables are set.</summary>
    public static string? NotConfigured(IAwsEnvironment environment) =>
        (environment.Variable(TokenFileVariable), environment.Variable(RoleArnVariable)) switch
        {
            (null, null) => $"{TokenFileVariable} and {RoleArnVariable} are not set",
            (null, _) => $"{TokenFileVariable} is not set",
            (_, null) => $"{RoleArnVariable} is not set",
            _ => null,
        };

    public static async Task<AwsCredentials> FetchAsync(AwsDependencies dependencies, OperationContext operation)
    {
        var environment = dependencies.Environment;
        var file = environment.Variable(TokenFileVariable)!;
        var role = environment.Variable(RoleArnVariable)!;
        string token;
        try
        {
            token = (await environment.ReadFileAsync(file, operation.IsAsync, operation.CancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AwsSourceException($"the token file {file} ({TokenFileVariable}) cannot be read: {e.Message.TrimEnd('.')}", e);
        }

        if (token.Length == 0)
        {
            throw new AwsSourceException($"the token file {file} ({TokenFileVariable}) is empty");
        }

        // STS requires a session name; without AWS_ROLE_SESSION_NAME one is made up, as the specification says.
        var session = environment.Variable(SessionNameVariable) ?? "mongoauth-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var query = $"?Action=AssumeRoleWithWebIdentity&RoleSessionName={Uri.EscapeDataString(session)}&RoleArn={Uri.EscapeDataString(role)}" +
            $"&WebIdentityToken={Uri.EscapeDataString(token)}&Version=2011-06-15";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Endpoint, query));
        request.Headers.Accept.ParseAdd("application/json");
        var (status, body) = await dependencies.Http.SendAsync(request, operation).ConfigureAwait(false);
        if (status != HttpStatusCode.OK)
        {
            throw new AwsSourceException($"STS answered {(int)status} {status} for role {role}{StsError(body)}");
        }

        return AwsCredentialReply.FromSts(body, "the STS reply");
    }

    /// <summary>STS's error code (e.g. InvalidIdentityToken, AccessDenied), which names the problem without secrets.</summary>
    private static string StsError(string body)
    {
        var start = body.IndexOf("\"Code\"", StringComparison.Ordinal);
        if (start < 0)
        {
            start = body.IndexOf("<Code>", StringComparison.Ordinal);
        }

        if (start < 0)
        {
            return "";
        }

        var code = new string(body.AsSpan(start + 6).TrimStart(" \t:\"").ToString().TakeWhile(char.IsAsciiLetterOrDigit).ToArray());
        return code.Length is > 0 and <= 64 ? $" ({code})" : "";
    }
}
