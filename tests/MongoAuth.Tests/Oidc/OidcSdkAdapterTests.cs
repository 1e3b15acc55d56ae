using System.Globalization;
using MongoAuth.Tests.Aws;
using MongoAuth.TestServer.Authentication.Oidc;

namespace MongoAuth.Tests.Oidc;

/// <summary>
/// MongoAuth.Azure and MongoAuth.Google through the SDKs' own credential classes, each in a child process
/// (<see cref="OidcProbe"/>) whose only identity endpoint is a loopback fake named by the SDK's own setting:
/// App Service managed identity (<c>IDENTITY_ENDPOINT</c> + <c>IDENTITY_HEADER</c>), the IMDS source moved by
/// <c>AZURE_POD_IDENTITY_AUTHORITY_HOST</c>, and Compute Engine metadata moved by <c>GCE_METADATA_HOST</c>. The fakes
/// check the header and the audience the SDK sends and answer with a token the test issuer mints for that audience, so
/// the test server accepts it only if the adapter asked for the right audience. Each source has its own subject, so the
/// identity the child reports says which source was used. Both modes: the probe runs the synchronous API (the
/// adapter's GetToken, the SDK's blocking call) and the asynchronous one, each on a new client and credential.
/// </summary>
public sealed class OidcSdkAdapterTests
{
    private const string Audience = TestOidcIssuer.DefaultAudience;

    private static FakeHttpResponse Refuse(string why) => new(400, $$"""{"error":"invalid_request","error_description":"{{why}}"}""");

    /// <summary>An Azure managed-identity reply (App Service and IMDS share the shape; expires_on is epoch seconds).</summary>
    private static FakeHttpResponse AzureToken(string token) => FakeHttpResponse.Json(string.Create(CultureInfo.InvariantCulture,
        $$"""{"access_token":"{{token}}","expires_on":"{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}","expires_in":"3600","resource":"{{Audience}}","token_type":"Bearer"}"""));

    [Fact]
    public async Task Azure_App_Service_managed_identity_through_IDENTITY_ENDPOINT_and_IDENTITY_HEADER()
    {
        await using var server = await OidcTestServer.StartAsync();
        const string secret = "app-service-identity-header";
        await using var endpoint = FakeHttpServer.Start(request =>
            request.Path != "/msi/token" ? new FakeHttpResponse(404, "{}")
            : request.Header("x-identity-header") != secret ? Refuse("wrong or missing X-IDENTITY-HEADER")
            : request.Query("resource") is not { } resource ? Refuse("no resource")
            : AzureToken(server.Issuer.CreateToken("azure-app-service-identity", audience: resource)));

        var outcome = await OidcProbe.RunAsync("azure", server.Server.Port, Audience, new Dictionary<string, string>
        {
            ["IDENTITY_ENDPOINT"] = $"http://127.0.0.1:{endpoint.Port}/msi/token",
            ["IDENTITY_HEADER"] = secret,
        });

        OidcProbe.AssertUser(outcome, "azure-app-service-identity", "sync", "async");
        var request = endpoint.Requests.First();
        Assert.Equal(Audience, request.Query("resource")); // the adapter's "<audience>/.default" scope, as Azure turns it into a resource
        Assert.NotNull(request.Query("api-version"));
        Assert.All(endpoint.Requests, r => Assert.Equal(secret, r.Header("x-identity-header")));
    }

    [Fact]
    public async Task Azure_managed_identity_through_the_IMDS_source_moved_by_AZURE_POD_IDENTITY_AUTHORITY_HOST()
    {
        await using var server = await OidcTestServer.StartAsync();
        await using var imds = FakeHttpServer.Start(request =>
            request.Path != "/metadata/identity/oauth2/token" ? new FakeHttpResponse(404, "{}")
            : request.Header("metadata") != "true" ? Refuse("Required metadata header not specified")
            : request.Query("resource") is not { } resource ? Refuse("no resource")
            : AzureToken(server.Issuer.CreateToken("azure-imds-identity", audience: resource)));

        var outcome = await OidcProbe.RunAsync("azure", server.Server.Port, Audience, new Dictionary<string, string>
        {
            ["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = $"http://127.0.0.1:{imds.Port}",
        });

        OidcProbe.AssertUser(outcome, "azure-imds-identity", "sync", "async");
        Assert.Contains(imds.Requests, r => r.Path == "/metadata/identity/oauth2/token" && r.Query("resource") == Audience && r.Header("metadata") == "true");
    }

    [Fact]
    public async Task A_refused_Azure_token_request_reaches_the_caller_and_nothing_is_sent_to_the_server()
    {
        await using var server = await OidcTestServer.StartAsync();
        await using var endpoint = FakeHttpServer.Start(_ => new FakeHttpResponse(403, """{"error":"forbidden","error_description":"no identity assigned"}"""));

        var outcome = await OidcProbe.RunAsync("azure", server.Server.Port, Audience, new Dictionary<string, string>
        {
            ["IDENTITY_ENDPOINT"] = $"http://127.0.0.1:{endpoint.Port}/msi/token",
            ["IDENTITY_HEADER"] = "any",
        });

        foreach (var mode in new[] { "sync", "async" })
        {
            Assert.True(outcome[mode].IsBsonDocument, outcome.ToString());
            Assert.Contains("ManagedIdentityCredential", outcome[mode]["message"].AsString, StringComparison.Ordinal);
        }
        Assert.NotEmpty(endpoint.Requests);
        Assert.Equal(0, server.Mechanism.VerifiedTokens);
    }

    [Fact]
    public async Task Google_compute_credential_through_GCE_METADATA_HOST()
    {
        await using var server = await OidcTestServer.StartAsync();
        var flavor = new Dictionary<string, string> { ["Metadata-Flavor"] = "Google" };
        await using var metadata = FakeHttpServer.Start(request =>
            request.Path != "/computeMetadata/v1/instance/service-accounts/default/identity" ? new FakeHttpResponse(404, "not found", "text/plain") { Headers = flavor }
            : request.Header("metadata-flavor") != "Google" ? new FakeHttpResponse(403, "Missing Metadata-Flavor:Google header.", "text/plain")
            : request.Query("audience") is not { } audience ? new FakeHttpResponse(400, "no audience", "text/plain") { Headers = flavor }
            : new FakeHttpResponse(200, server.Issuer.CreateToken("gce-service-account", audience: audience), "text/html") { Headers = flavor });

        var outcome = await OidcProbe.RunAsync("google", server.Server.Port, Audience, new Dictionary<string, string>
        {
            ["GCE_METADATA_HOST"] = $"127.0.0.1:{metadata.Port}",
        });

        OidcProbe.AssertUser(outcome, "gce-service-account", "sync", "async");
        Assert.Contains(metadata.Requests, r => r.Query("audience") == Audience && r.Query("format") == "full" && r.Header("metadata-flavor") == "Google");
    }

    [Fact]
    public async Task A_failing_metadata_server_reaches_the_caller_and_nothing_is_sent_to_the_server()
    {
        await using var server = await OidcTestServer.StartAsync();
        await using var metadata = FakeHttpServer.Start(_ => new FakeHttpResponse(500, "metadata server unavailable", "text/plain")
        {
            Headers = new Dictionary<string, string> { ["Metadata-Flavor"] = "Google" },
        });

        var outcome = await OidcProbe.RunAsync("google", server.Server.Port, Audience, new Dictionary<string, string>
        {
            ["GCE_METADATA_HOST"] = $"127.0.0.1:{metadata.Port}",
        });

        foreach (var mode in new[] { "sync", "async" })
        {
            Assert.True(outcome[mode].IsBsonDocument, outcome.ToString());
            Assert.Contains("MongoAuthenticationException", outcome[mode]["error"].AsString, StringComparison.Ordinal);
        }
        Assert.NotEmpty(metadata.Requests);
        Assert.Equal(0, server.Mechanism.VerifiedTokens);
    }
}
