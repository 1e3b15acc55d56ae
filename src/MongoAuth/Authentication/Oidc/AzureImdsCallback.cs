using System.Globalization;
using System.Text.Json;

namespace MongoAuth.Authentication.Oidc;

/// <summary>
/// ENVIRONMENT:azure: a managed identity's access token for TOKEN_RESOURCE from the Azure Instance Metadata Service
/// (the spec's fixed URL), with the credential's user name as <c>client_id</c> when given (a user-assigned identity).
/// </summary>
internal sealed class AzureImdsCallback(string resource, OidcHost host) : IOidcCallback
{
    internal const string Endpoint = "http://169.254.169.254/metadata/identity/oauth2/token";

    public OidcToken GetToken(OidcCallbackParameters parameters, CancellationToken cancellationToken) =>
        FetchAsync(parameters, runAsync: false, cancellationToken).GetAwaiter().GetResult();

    public Task<OidcToken> GetTokenAsync(OidcCallbackParameters parameters, CancellationToken cancellationToken) =>
        FetchAsync(parameters, runAsync: true, cancellationToken);

    private async Task<OidcToken> FetchAsync(OidcCallbackParameters parameters, bool runAsync, CancellationToken cancellationToken)
    {
        var url = $"{Endpoint}?api-version=2018-02-01&resource={Uri.EscapeDataString(resource)}";
        if (parameters.Username is { } clientId)
        {
            url += $"&client_id={Uri.EscapeDataString(clientId)}";
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Accept", "application/json");
        request.Headers.Add("Metadata", "true");
        var body = await MetadataHttp.GetAsync(host, request, "ENVIRONMENT:azure", runAsync, cancellationToken).ConfigureAwait(false);
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var token = root.TryGetProperty("access_token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (string.IsNullOrEmpty(token))
            {
                throw new MongoAuthenticationException("MONGODB-OIDC with ENVIRONMENT:azure: the metadata service's reply has no access_token.");
            }
            // IMDS sends expires_in as a string of seconds; accept a number too.
            TimeSpan? expiresIn = root.TryGetProperty("expires_in", out var e) && e.ValueKind switch
            {
                JsonValueKind.String => double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : -1,
                JsonValueKind.Number => e.GetDouble(),
                _ => -1,
            } is var seconds and >= 0 ? TimeSpan.FromSeconds(seconds) : null;
            return new OidcToken(token, expiresIn);
        }
        catch (JsonException exception)
        {
            throw new MongoAuthenticationException("MONGODB-OIDC with ENVIRONMENT:azure: the metadata service's reply is not JSON.", exception);
        }
    }

    public override string ToString() => "ENVIRONMENT:azure";
}
