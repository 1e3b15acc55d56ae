using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using MongoAuth.Authentication;
using MongoAuth.Authentication.Aws;
using MongoAuth.Authentication.Oidc;

namespace MongoAuth.Cli.Commands;

/// <summary>
/// For the mechanisms whose secret comes from somewhere else (MONGODB-AWS, MONGODB-OIDC), keeps the client's mechanism
/// (whatever factory the registry holds) so that <c>check</c> can say where the credentials came from: the AWS source's
/// name; the OIDC token source (callback, ENVIRONMENT name, token file path) and the token's expiry. Never a key, a
/// secret or a token.
/// </summary>
internal sealed class CredentialSourceWatch
{
    private IAuthenticationMechanism? _mechanism;

    public CredentialSourceWatch(ref MongoClientSettings settings)
    {
        if (settings.Credential?.Mechanism is AwsDescriptor.MechanismName or OidcDescriptor.MechanismName
            && settings.Mechanisms.Find(settings.Credential.Mechanism) is { } descriptor)
        {
            settings = settings with
            {
                Mechanisms = settings.Mechanisms.WithMechanism(descriptor.Name, (credential, clientSettings) =>
                {
                    var mechanism = descriptor.Create(credential, clientSettings);
                    _mechanism = mechanism;
                    return mechanism;
                }),
            };
        }
    }

    public Task PrintAsync(TextWriter output, TimeProvider? clock = null) => _mechanism switch
    {
        AwsMechanism { LastCredentialSource: { } source } => output.WriteLineAsync($"        AWS credentials from: {source}"),
        OidcMechanism oidc => output.WriteLineAsync(
            $"        OIDC token from: {oidc.TokenOrigin}{Environment.NewLine}        OIDC token expiry: {Expiry(oidc.Cache.Current, (clock ?? TimeProvider.System).GetUtcNow())}"),
        _ => Task.CompletedTask,
    };

    /// <summary>
    /// When the token expires: the lifetime its source gave, else the <c>exp</c> claim when the token is a JWT (read
    /// here for the report only; the driver never reads tokens).
    /// </summary>
    internal static string Expiry(OidcCachedToken? token, DateTimeOffset now)
    {
        if (token is null)
        {
            return "no token held (none fetched, or the server refused it)";
        }
        if (token.ExpiresAt is { } at)
        {
            return $"{Describe(at, now)} (the lifetime the source gave)";
        }
        return ExpiryClaim(token.AccessToken) is { } exp
            ? $"{Describe(exp, now)} (the token's exp claim; the source gave no lifetime)"
            : "unknown (the source gave no lifetime and the token carries no exp claim): the server says when it expires";
    }

    private static string Describe(DateTimeOffset at, DateTimeOffset now)
    {
        var left = at - now;
        var relative = left <= TimeSpan.Zero ? "expired" : left.TotalMinutes >= 1 ? $"in {Math.Floor(left.TotalMinutes):0} min" : $"in {left.TotalSeconds:0} s";
        return string.Create(CultureInfo.InvariantCulture, $"{at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC ({relative})");
    }

    /// <summary>The <c>exp</c> claim of a JWT (header.payload.signature), or null when the token is not one.</summary>
    internal static DateTimeOffset? ExpiryClaim(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }
        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return payload.RootElement.ValueKind == JsonValueKind.Object
                && payload.RootElement.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds)
                && seconds is > 0 and < 253402300800
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
