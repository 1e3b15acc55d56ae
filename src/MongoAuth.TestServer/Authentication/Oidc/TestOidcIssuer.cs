using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MongoAuth.TestServer.Authentication.Oidc;

/// <summary>
/// An OpenID Connect issuer for tests, in process on 127.0.0.1: it serves <c>/.well-known/openid-configuration</c>
/// and its key set at <c>/jwks</c>, and mints RS256 access tokens with any subject, audience and lifetime (also
/// wrong ones, to test refusals). A new RSA key every time one is created, as a real issuer rotates keys.
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    /// <summary>The audience tokens carry unless told otherwise.</summary>
    public const string DefaultAudience = "api://mongoauth-test";

    private readonly RSA _key = RSA.Create(2048);
    private readonly LoopbackHttpServer _http;

    /// <summary>Starts the issuer on a free loopback port.</summary>
    public TestOidcIssuer()
    {
        KeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        _http = new LoopbackHttpServer(Answer);
    }

    /// <summary>The issuer URL (<c>iss</c>), <c>http://127.0.0.1:port</c>.</summary>
    public string Issuer => _http.BaseUrl;

    /// <summary>The <c>kid</c> of the signing key.</summary>
    public string KeyId { get; }

    /// <summary>How many times the key set was fetched.</summary>
    public int KeySetRequests => _http.Requests.Count(r => r.Path == "/jwks");

    /// <summary>Mints an access token.</summary>
    /// <param name="subject">The <c>sub</c> claim.</param>
    /// <param name="lifetime">Time until <c>exp</c> (negative for an expired token); default one hour.</param>
    /// <param name="audience">The <c>aud</c> claim; default <see cref="DefaultAudience"/>.</param>
    /// <param name="issuer">The <c>iss</c> claim; default this issuer.</param>
    /// <param name="signWithUnknownKey">Sign with a key that is not in the key set (a forged token).</param>
    /// <param name="extraClaims">More claims (e.g. another principal claim).</param>
    public string CreateToken(string subject, TimeSpan? lifetime = null, string? audience = null, string? issuer = null,
        bool signWithUnknownKey = false, IReadOnlyDictionary<string, object>? extraClaims = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = issuer ?? Issuer,
            ["sub"] = subject,
            ["aud"] = audience ?? DefaultAudience,
            ["iat"] = now,
            ["exp"] = now + (long)Math.Round((lifetime ?? TimeSpan.FromHours(1)).TotalSeconds),
            ["jti"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
        };
        foreach (var (name, value) in extraClaims ?? new Dictionary<string, object>())
        {
            claims[name] = value;
        }
        var header = new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = KeyId };
        var signingInput = $"{Encode(JsonSerializer.SerializeToUtf8Bytes(header))}.{Encode(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        using var other = signWithUnknownKey ? RSA.Create(2048) : null;
        var signature = (other ?? _key).SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Encode(signature)}";
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _http.DisposeAsync().ConfigureAwait(false);
        _key.Dispose();
    }

    private static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    private LoopbackHttpResponse Answer(LoopbackHttpRequest request) => request.Path switch
    {
        "/.well-known/openid-configuration" => new LoopbackHttpResponse(200, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = $"{Issuer}/jwks",
            ["authorization_endpoint"] = $"{Issuer}/authorize",
            ["token_endpoint"] = $"{Issuer}/token",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        })),
        "/jwks" => new LoopbackHttpResponse(200, JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = KeyId,
                    ["n"] = Encode(_key.ExportParameters(false).Modulus), ["e"] = Encode(_key.ExportParameters(false).Exponent),
                },
            },
        })),
        _ => new LoopbackHttpResponse(404, "{}"),
    };
}
