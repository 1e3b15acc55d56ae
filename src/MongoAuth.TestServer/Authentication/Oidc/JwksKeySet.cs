using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace MongoAuth.TestServer.Authentication.Oidc;

/// <summary>
/// The issuer's signing keys by <c>kid</c>: discovery document → <c>jwks_uri</c> → RSA keys, fetched on first use and
/// again when a token names a key not seen yet (issuers rotate keys), at most once a second.
/// </summary>
internal sealed class JwksKeySet(string issuer) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, RSA> _keys = new(StringComparer.Ordinal);
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _keys = await FetchAsync(cancellationToken).ConfigureAwait(false);
            _fetchedAt = DateTimeOffset.UtcNow;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<RSA?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        if (_keys.TryGetValue(keyId, out var key))
        {
            return key;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_keys.TryGetValue(keyId, out key) && DateTimeOffset.UtcNow - _fetchedAt > TimeSpan.FromSeconds(1))
            {
                _keys = await FetchAsync(cancellationToken).ConfigureAwait(false);
                _fetchedAt = DateTimeOffset.UtcNow;
                _keys.TryGetValue(keyId, out key);
            }
            return key;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Dictionary<string, RSA>> FetchAsync(CancellationToken cancellationToken)
    {
        using var discovery = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"{issuer.TrimEnd('/')}/.well-known/openid-configuration"), cancellationToken).ConfigureAwait(false));
        var jwksUri = discovery.RootElement.GetProperty("jwks_uri").GetString() ?? throw new InvalidOperationException("The discovery document has no jwks_uri.");
        using var jwks = JsonDocument.Parse(await _http.GetStringAsync(new Uri(jwksUri), cancellationToken).ConfigureAwait(false));
        var keys = new Dictionary<string, RSA>(StringComparer.Ordinal);
        foreach (var jwk in jwks.RootElement.GetProperty("keys").EnumerateArray())
        {
            if (jwk.TryGetProperty("kty", out var kty) && kty.GetString() == "RSA" &&
                jwk.TryGetProperty("kid", out var kid) && kid.GetString() is { } id &&
                jwk.TryGetProperty("n", out var n) && jwk.TryGetProperty("e", out var e))
            {
                keys[id] = RSA.Create(new RSAParameters { Modulus = Base64Url.DecodeFromChars(n.GetString()), Exponent = Base64Url.DecodeFromChars(e.GetString()) });
            }
        }
        return keys;
    }

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }
}
