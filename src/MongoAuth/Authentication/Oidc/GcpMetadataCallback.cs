namespace MongoAuth.Authentication.Oidc;

/// <summary>
/// ENVIRONMENT:gcp: the service account's identity token for TOKEN_RESOURCE (as audience) from the Compute Engine
/// metadata server (the spec's fixed URL). Google's own GCE_METADATA_HOST is deliberately not honoured here; the
/// MongoAuth.Google package uses Google's library, which does.
/// </summary>
internal sealed class GcpMetadataCallback(string audience, OidcHost host) : IOidcCallback
{
    internal const string Endpoint = "http://metadata/computeMetadata/v1/instance/service-accounts/default/identity";

    public OidcToken GetToken(OidcCallbackParameters parameters, CancellationToken cancellationToken) =>
        FetchAsync(runAsync: false, cancellationToken).GetAwaiter().GetResult();

    public Task<OidcToken> GetTokenAsync(OidcCallbackParameters parameters, CancellationToken cancellationToken) =>
        FetchAsync(runAsync: true, cancellationToken);

    private async Task<OidcToken> FetchAsync(bool runAsync, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Endpoint}?audience={Uri.EscapeDataString(audience)}");
        request.Headers.Add("Metadata-Flavor", "Google");
        var body = (await MetadataHttp.GetAsync(host, request, "ENVIRONMENT:gcp", runAsync, cancellationToken).ConfigureAwait(false)).Trim();
        return body.Length > 0 ? new OidcToken(body) : throw new MongoAuthenticationException("MONGODB-OIDC with ENVIRONMENT:gcp: the metadata server returned an empty token.");
    }

    public override string ToString() => "ENVIRONMENT:gcp";
}
