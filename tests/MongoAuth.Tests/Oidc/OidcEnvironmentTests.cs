using MongoAuth.Authentication.Oidc;
using MongoAuth.TestServer.Authentication.Oidc;
using MongoAuth.TestServer.FailPoints;
using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.Oidc;

/// <summary>
/// The built-in environments end to end, on loopback only: ENVIRONMENT:test and k8s read token files (named by fake
/// environment variables: the test process's own environment never changes), azure and gcp call the spec's fixed
/// metadata URLs through the HTTP seam, answered by loopback fakes that check the headers and query the spec requires.
/// </summary>
public sealed class OidcEnvironmentTests
{
    private static readonly Dictionary<(string, int), int> NoNetwork = [];

    [Theory, BothModes]
    public async Task ENVIRONMENT_test_reads_OIDC_TOKEN_FILE_and_reads_it_again_after_391(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var path = Path.Combine(Path.GetTempPath(), $"oidc-{Guid.NewGuid():N}");
        var files = new Dictionary<string, string> { [path] = server.Token() + "\n" };
        var reads = new List<string>();
        var host = LoopbackSeam.Host(new Dictionary<string, string> { ["OIDC_TOKEN_FILE"] = path }, files) is var seam
            ? new OidcHost { GetEnvironmentVariable = seam.GetEnvironmentVariable, ReadAllText = p => { var text = seam.ReadAllText(p); reads.Add(text); return text; } }
            : null;
        await using var client = new MongoClient(server.EnvironmentSettings("ENVIRONMENT:test", host!));

        var status = await client.GetConnectionStatusIn(mode);
        Assert.Equal(OidcTestServer.User, Assert.Single(status.AuthenticatedUsers).User);

        // The file is rotated (as a token agent does) and the server asks for reauthentication: the new token is read.
        files[path] = server.Token();
        server.Server.ConfigureFailPoint(new FailCommand { Commands = ["connectionStatus"], Times = 1, ErrorCode = 391 });
        status = await client.GetConnectionStatusIn(mode);

        Assert.Equal(OidcTestServer.User, Assert.Single(status.AuthenticatedUsers).User);
        Assert.Equal(2, reads.Count);
        Assert.Equal(files[path], reads[1]);
        Assert.Equal(2, server.Mechanism.VerifiedTokens);
    }

    [Theory, BothModes]
    public async Task ENVIRONMENT_test_without_OIDC_TOKEN_FILE_says_which_variable_is_missing(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        await using var client = new MongoClient(server.EnvironmentSettings("ENVIRONMENT:test", LoopbackSeam.Host()));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.PingIn(mode));

        Assert.Contains("OIDC_TOKEN_FILE", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.SaslStarts);
    }

    [Theory]
    [InlineData("AZURE_FEDERATED_TOKEN_FILE", "/azure/token")]
    [InlineData("AWS_WEB_IDENTITY_TOKEN_FILE", "/aws/token")]
    [InlineData(null, "/var/run/secrets/kubernetes.io/serviceaccount/token")]
    public void ENVIRONMENT_k8s_reads_the_first_token_file_of_the_spec_order(string? variable, string expected)
    {
        var variables = new Dictionary<string, string>();
        if (variable is "AZURE_FEDERATED_TOKEN_FILE")
        {
            variables["AZURE_FEDERATED_TOKEN_FILE"] = "/azure/token";
        }
        if (variable is not null)
        {
            variables["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/aws/token";
        }
        var host = LoopbackSeam.Host(variables, new Dictionary<string, string> { [expected] = "the-token" });

        var token = OidcEnvironments.Create("k8s", null, host).GetToken(new OidcCallbackParameters(null, TimeSpan.FromMinutes(1)), CancellationToken.None);

        Assert.Equal("the-token", token.AccessToken);
        Assert.Equal(expected, OidcEnvironments.KubernetesTokenPath(host));
    }

    [Theory, BothModes]
    public async Task ENVIRONMENT_k8s_authenticates_with_the_projected_service_account_token(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var host = LoopbackSeam.Host(files: new Dictionary<string, string> { [OidcEnvironments.ServiceAccountTokenPath] = server.Token() });
        await using var client = new MongoClient(server.EnvironmentSettings("ENVIRONMENT:k8s", host));

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal(OidcTestServer.User, Assert.Single(status.AuthenticatedUsers).User);
    }

    [Theory, BothModes]
    public async Task ENVIRONMENT_azure_asks_IMDS_for_TOKEN_RESOURCE_with_the_client_id_and_the_required_headers(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        await using var imds = new LoopbackHttpServer(_ => new LoopbackHttpResponse(200,
            $$"""{"access_token":"{{server.Token()}}","expires_in":"3599","token_type":"Bearer","resource":"api://mongodb"}"""));
        var host = LoopbackSeam.Host(map: new Dictionary<(string, int), int> { [("169.254.169.254", 80)] = imds.Port });
        await using var client = new MongoClient(server.EnvironmentSettings("ENVIRONMENT:azure,TOKEN_RESOURCE:api%3A%2F%2Fmongodb", host, username: "user-assigned-id"));

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal(OidcTestServer.User, Assert.Single(status.AuthenticatedUsers).User);
        var request = Assert.Single(imds.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/metadata/identity/oauth2/token", request.Path);
        Assert.Equal("169.254.169.254", request.Headers["Host"]);
        Assert.Equal("true", request.Headers["Metadata"]);
        Assert.Equal("application/json", request.Headers["Accept"]);
        Assert.Equal("2018-02-01", request.Query["api-version"]);
        Assert.Equal("api://mongodb", request.Query["resource"]);
        Assert.Equal("user-assigned-id", request.Query["client_id"]);
    }

    [Theory, BothModes]
    public async Task ENVIRONMENT_azure_reports_an_IMDS_error_with_its_body(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        await using var imds = new LoopbackHttpServer(_ => new LoopbackHttpResponse(400, """{"error":"invalid_request","error_description":"Identity not found"}"""));
        var host = LoopbackSeam.Host(map: new Dictionary<(string, int), int> { [("169.254.169.254", 80)] = imds.Port });
        await using var client = new MongoClient(server.EnvironmentSettings("ENVIRONMENT:azure,TOKEN_RESOURCE:api%3A%2F%2Fmongodb", host));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.PingIn(mode));

        Assert.Contains("400", error.Message, StringComparison.Ordinal);
        Assert.Contains("Identity not found", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("client_id", Assert.Single(imds.Requests).Target, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task ENVIRONMENT_gcp_asks_the_metadata_server_for_an_identity_token_for_the_audience(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        await using var metadata = new LoopbackHttpServer(_ => new LoopbackHttpResponse(200, server.Token(), "application/text"));
        var host = LoopbackSeam.Host(map: new Dictionary<(string, int), int> { [("metadata", 80)] = metadata.Port });
        await using var client = new MongoClient(server.EnvironmentSettings("ENVIRONMENT:gcp,TOKEN_RESOURCE:api%3A%2F%2Fmongodb", host));

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal(OidcTestServer.User, Assert.Single(status.AuthenticatedUsers).User);
        var request = Assert.Single(metadata.Requests);
        Assert.Equal("/computeMetadata/v1/instance/service-accounts/default/identity", request.Path);
        Assert.Equal("metadata", request.Headers["Host"]);
        Assert.Equal("Google", request.Headers["Metadata-Flavor"]);
        Assert.Equal("api://mongodb", request.Query["audience"]);
    }

    [Theory, BothModes]
    public async Task The_seam_refuses_a_host_it_does_not_map(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        await using var client = new MongoClient(server.EnvironmentSettings("ENVIRONMENT:gcp,TOKEN_RESOURCE:aud", LoopbackSeam.Host(map: NoNetwork)));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.PingIn(mode));

        Assert.Contains("no loopback mapping for metadata:80", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ENVIRONMENT:azure", "TOKEN_RESOURCE")]
    [InlineData("ENVIRONMENT:gcp", "TOKEN_RESOURCE")]
    [InlineData("ENVIRONMENT:k8s,TOKEN_RESOURCE:aud", "TOKEN_RESOURCE applies only")]
    [InlineData("ENVIRONMENT:test,TOKEN_RESOURCE:aud", "TOKEN_RESOURCE applies only")]
    [InlineData("ENVIRONMENT:aws", "must be one of: test, azure, gcp, k8s")]
    public void Each_environment_checks_its_properties_when_the_client_is_built(string properties, string message)
    {
        var error = Assert.Throws<MongoConfigurationException>(() =>
            new MongoClient($"mongodb://127.0.0.1:1/?authMechanism=MONGODB-OIDC&authMechanismProperties={properties}"));

        Assert.Equal("authMechanismProperties", error.OptionName);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_name_with_ENVIRONMENT_test_is_refused_when_the_client_is_built()
    {
        var error = Assert.Throws<MongoConfigurationException>(() =>
            new MongoClient("mongodb://someone@127.0.0.1:1/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:test"));

        Assert.Equal("username", error.OptionName);
    }
}
