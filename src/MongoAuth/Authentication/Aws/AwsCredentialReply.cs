using System.Globalization;
using System.Text.Json;

namespace MongoAuth.Authentication.Aws;

/// <summary>
/// Reads the credentials out of a source's JSON reply: ECS and EC2 answer <c>{AccessKeyId, SecretAccessKey, Token,
/// Expiration}</c>; STS answers <c>{Credentials: {AccessKeyId, SecretAccessKey, SessionToken, Expiration}}</c> as the
/// specification shows it, or wrapped in <c>AssumeRoleWithWebIdentityResponse.AssumeRoleWithWebIdentityResult</c> as STS
/// itself does. <c>Expiration</c> is ISO 8601 text or epoch seconds (STS's JSON form). Errors never quote the reply.
/// </summary>
internal static class AwsCredentialReply
{
    /// <summary>The credentials of an ECS or EC2 reply.</summary>
    public static AwsCredentials FromMetadata(string json, string what) => Read(json, what, root => root, "Token");

    /// <summary>The credentials of an STS AssumeRoleWithWebIdentity reply (both shapes).</summary>
    public static AwsCredentials FromSts(string json, string what) => Read(json, what, root =>
    {
        if (root.TryGetProperty("AssumeRoleWithWebIdentityResponse", out var response)
            && response.TryGetProperty("AssumeRoleWithWebIdentityResult", out var result))
        {
            root = result;
        }

        return root.TryGetProperty("Credentials", out var credentials) ? credentials : throw new AwsSourceException($"{what} has no Credentials");
    }, "SessionToken");

    private static AwsCredentials Read(string json, string what, Func<JsonElement, JsonElement> locate, string tokenName)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new AwsSourceException($"{what} is not a JSON object");
            }

            var element = locate(document.RootElement);
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new AwsSourceException($"{what} has no credentials object");
            }

            var key = Text(element, "AccessKeyId");
            var secret = Text(element, "SecretAccessKey");
            if (key is null || secret is null)
            {
                throw new AwsSourceException($"{what} lacks {(key is null ? "AccessKeyId" : "SecretAccessKey")}");
            }

            return new AwsCredentials(key, secret, Text(element, tokenName), Expiration(element, what));
        }
        catch (JsonException e)
        {
            throw new AwsSourceException($"{what} is not valid JSON", e);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static DateTimeOffset? Expiration(JsonElement element, string what)
    {
        if (!element.TryGetProperty("Expiration", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && double.IsFinite(seconds))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        }

        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        throw new AwsSourceException($"{what} has an Expiration that is neither an ISO 8601 time nor epoch seconds");
    }
}
