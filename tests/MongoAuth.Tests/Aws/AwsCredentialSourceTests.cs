using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.Authentication.Aws;
using MongoAuth.Operations;
using MongoAuth.TestServer.Pki;
using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.Aws;

/// <summary>A test CA and a certificate for sts.amazonaws.com it issued, plus one from a CA nobody trusts.</summary>
public sealed class StsCertificateFixture : IDisposable
{
    public StsCertificateFixture()
    {
        Root = CertificateAuthority.CreateRoot("CN=MongoAuth AWS test root", KeyAlgorithm.Ecdsa, null);
        Other = CertificateAuthority.CreateRoot("CN=Untrusted root", KeyAlgorithm.Ecdsa, null);
        Sts = Root.IssueServer("CN=sts.amazonaws.com", ["sts.amazonaws.com"], [], KeyAlgorithm.Ecdsa, Validity.Current);
        UntrustedSts = Other.IssueServer("CN=sts.amazonaws.com", ["sts.amazonaws.com"], [], KeyAlgorithm.Ecdsa, Validity.Current);
    }

    internal CertificateAuthority Root { get; }

    internal CertificateAuthority Other { get; }

    internal X509Certificate2 Sts { get; }

    internal X509Certificate2 UntrustedSts { get; }

    public void Dispose()
    {
        Sts.Dispose();
        UntrustedSts.Dispose();
        Root.Dispose();
        Other.Dispose();
    }
}

/// <summary>
/// Every built-in credential source through the HTTP seam: the fixed spec URLs answered by loopback fakes, which check
/// what production would send (Host header, IMDSv2 token headers, the STS query, the ECS authorization token). Both
/// modes, since the chain runs synchronously on the synchronous path.
/// </summary>
public sealed class AwsCredentialSourceTests(StsCertificateFixture pki) : IClassFixture<StsCertificateFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 15, 0, 0, TimeSpan.Zero);

    private static string MetadataJson(string key, DateTimeOffset expiration) =>
        $$"""{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"{{key}}","SecretAccessKey":"{{key}}-secret","Token":"{{key}}-token","Expiration":"{{expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}"}""";

    private static Task<ResolvedAwsCredentials> ResolveIn(Mode mode, AwsCredentialChain chain, TimeSpan? timeout = null) =>
        chain.ResolveAsync(OperationContext.Start(mode == Mode.Async, CancellationToken.None, timeout));

    private static AwsCredentialChain Chain(FakeAwsEnvironment environment, AwsHttp http, AwsCredentialCache? cache = null, TimeProvider? clock = null) =>
        new(null, null, new AwsDependencies(environment, http, cache ?? new AwsCredentialCache(), clock ?? new ManualClock(Now)));

    private static FakeHttpServer Imds(string key, DateTimeOffset expiration, string role = "app-role") => FakeHttpServer.Start(request =>
        (request.Method, request.Path) switch
        {
            _ when request.Header("host") != AwsTestSeam.Imds => new FakeHttpResponse(400, "wrong host"),
            ("PUT", "/latest/api/token") when request.Header("x-aws-ec2-metadata-token-ttl-seconds") is { } ttl && int.Parse(ttl, CultureInfo.InvariantCulture) is > 0 and <= 21600
                => new FakeHttpResponse(200, "imds-session-token"),
            ("GET", _) when request.Header("x-aws-ec2-metadata-token") != "imds-session-token" => new FakeHttpResponse(401, ""),
            ("GET", "/latest/meta-data/iam/security-credentials/") => new FakeHttpResponse(200, role + "\n"),
            ("GET", var path) when path == "/latest/meta-data/iam/security-credentials/" + role => FakeHttpResponse.Json(MetadataJson(key, expiration)),
            _ => new FakeHttpResponse(404, ""),
        });

    [Theory, BothModes]
    public async Task EC2_IMDSv2_takes_a_token_then_the_role_then_its_credentials(Mode mode)
    {
        await using var imds = Imds("ASIAFROMEC2", Now.AddHours(6));
        var cache = new AwsCredentialCache();
        var chain = Chain(new FakeAwsEnvironment(), AwsTestSeam.Http(new Dictionary<(string, int), int> { [(AwsTestSeam.Imds, 80)] = imds.Port }), cache);

        var resolved = await ResolveIn(mode, chain);

        Assert.Equal(("ASIAFROMEC2", "ASIAFROMEC2-secret", "ASIAFROMEC2-token"), (resolved.Credentials.AccessKeyId, resolved.Credentials.SecretAccessKey, resolved.Credentials.SessionToken));
        Assert.Equal(AwsInstanceMetadataSource.Name, resolved.Source);
        Assert.Equal(["PUT /latest/api/token", "GET /latest/meta-data/iam/security-credentials/", "GET /latest/meta-data/iam/security-credentials/app-role"],
            imds.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Same(resolved.Credentials, cache.Peek);
    }

    [Theory, BothModes]
    public async Task ECS_relative_uri_is_fetched_from_the_fixed_container_host(Mode mode)
    {
        await using var ecs = FakeHttpServer.Start(r => r.Header("host") == AwsTestSeam.Ecs && r.Target == "/v2/credentials/abc-123"
            ? FakeHttpResponse.Json(MetadataJson("ASIAFROMECS", Now.AddHours(1)))
            : new FakeHttpResponse(404, ""));
        await using var imds = Imds("ASIAFROMEC2", Now.AddHours(6));
        var environment = new FakeAwsEnvironment().With("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc-123");
        var chain = Chain(environment, AwsTestSeam.Http(new Dictionary<(string, int), int> { [(AwsTestSeam.Ecs, 80)] = ecs.Port, [(AwsTestSeam.Imds, 80)] = imds.Port }));

        var resolved = await ResolveIn(mode, chain);

        Assert.Equal("ASIAFROMECS", resolved.Credentials.AccessKeyId);
        Assert.Equal(AwsContainerSource.Name, resolved.Source);
        Assert.Empty(imds.Requests);
    }

    [Theory, BothModes]
    public async Task A_failing_ECS_endpoint_never_falls_back_to_EC2(Mode mode)
    {
        await using var ecs = FakeHttpServer.Start(_ => new FakeHttpResponse(500, "boom"));
        await using var imds = Imds("ASIAFROMEC2", Now.AddHours(6));
        var environment = new FakeAwsEnvironment().With("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds");
        var chain = Chain(environment, AwsTestSeam.Http(new Dictionary<(string, int), int> { [(AwsTestSeam.Ecs, 80)] = ecs.Port, [(AwsTestSeam.Imds, 80)] = imds.Port }));

        var error = await Assert.ThrowsAsync<AwsSourceException>(() => ResolveIn(mode, chain));

        Assert.Contains("3. ECS container credentials: http://169.254.170.2 answered 500", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("EC2 instance metadata", error.Message, StringComparison.Ordinal);
        Assert.Empty(imds.Requests);
    }

    [Theory, BothModes]
    public async Task ECS_full_uri_sends_the_authorization_token_from_its_file(Mode mode)
    {
        await using var ecs = FakeHttpServer.Start(r => r.Header("authorization") == "pod-identity-token"
            ? FakeHttpResponse.Json(MetadataJson("ASIAFROMPOD", Now.AddHours(1)))
            : new FakeHttpResponse(403, ""));
        var environment = new FakeAwsEnvironment()
            .With("AWS_CONTAINER_CREDENTIALS_FULL_URI", $"http://127.0.0.1:{ecs.Port}/v1/credentials")
            .With("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/var/run/secrets/pods/token");
        environment.Files["/var/run/secrets/pods/token"] = "pod-identity-token\n";
        var chain = Chain(environment, AwsTestSeam.Http(new Dictionary<(string, int), int>()));

        var resolved = await ResolveIn(mode, chain);

        Assert.Equal("ASIAFROMPOD", resolved.Credentials.AccessKeyId);
        Assert.Equal("/v1/credentials", Assert.Single(ecs.Requests).Path);
    }

    [Theory]
    [InlineData("http://example.com/creds", "http is allowed only to loopback")]
    [InlineData("ftp://127.0.0.1/creds", "is not an http or https URL")]
    public async Task An_ECS_full_uri_that_could_leak_credentials_is_refused_before_any_request(string uri, string problem)
    {
        var chain = Chain(new FakeAwsEnvironment().With("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri), AwsTestSeam.Http(new Dictionary<(string, int), int>()));

        var error = await Assert.ThrowsAsync<AwsSourceException>(() => ResolveIn(Mode.Async, chain));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    private FakeHttpServer Sts(Func<FakeHttpRequest, FakeHttpResponse> answer, X509Certificate2? certificate = null) =>
        FakeHttpServer.Start(answer, certificate ?? pki.Sts);

    private AwsHttp StsSeam(FakeHttpServer sts) => AwsTestSeam.Http(new Dictionary<(string, int), int> { [(AwsTestSeam.Sts, 443)] = sts.Port }, pki.Root.Certificate);

    private static FakeAwsEnvironment WebIdentity(string? sessionName = "mongo-test")
    {
        var environment = new FakeAwsEnvironment()
            .With("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token")
            .With("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/webrole");
        if (sessionName is not null)
        {
            environment.With("AWS_ROLE_SESSION_NAME", sessionName);
        }

        environment.Files["/var/run/secrets/eks.amazonaws.com/serviceaccount/token"] = "eyJ.web-identity.jwt\n";
        return environment;
    }

    [Theory]
    [InlineData(Mode.Sync, true)]
    [InlineData(Mode.Async, true)]
    [InlineData(Mode.Sync, false)]
    [InlineData(Mode.Async, false)]
    public async Task Web_identity_exchanges_the_token_file_at_STS_over_TLS(Mode mode, bool wrapped)
    {
        var credentials = """{"AccessKeyId":"ASIAFROMSTS","SecretAccessKey":"sts-secret","SessionToken":"sts-token","Expiration":1796137200}""";
        var body = wrapped
            ? """{"AssumeRoleWithWebIdentityResponse":{"AssumeRoleWithWebIdentityResult":{"Credentials":""" + credentials + "}}}"
            : """{"Credentials":""" + credentials + "}";
        await using var sts = Sts(_ => FakeHttpResponse.Json(body));
        var cache = new AwsCredentialCache();
        var chain = Chain(WebIdentity(), StsSeam(sts), cache);

        var resolved = await ResolveIn(mode, chain);

        Assert.Equal(("ASIAFROMSTS", "sts-token"), (resolved.Credentials.AccessKeyId, resolved.Credentials.SessionToken));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796137200), resolved.Credentials.Expiration);
        Assert.Same(resolved.Credentials, cache.Peek);
        var request = Assert.Single(sts.Requests);
        Assert.Equal(("POST", "/", "sts.amazonaws.com", "application/json"), (request.Method, request.Path, request.Header("host"), request.Header("accept")));
        Assert.Equal("AssumeRoleWithWebIdentity", request.Query("Action"));
        Assert.Equal("arn:aws:iam::123456789012:role/webrole", request.Query("RoleArn"));
        Assert.Equal("mongo-test", request.Query("RoleSessionName"));
        Assert.Equal("eyJ.web-identity.jwt", request.Query("WebIdentityToken"));
        Assert.Equal("2011-06-15", request.Query("Version"));
    }

    [Fact]
    public async Task Web_identity_makes_up_a_session_name_when_none_is_set()
    {
        await using var sts = Sts(_ => FakeHttpResponse.Json("""{"Credentials":{"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":"T","Expiration":1796137200}}"""));

        await ResolveIn(Mode.Async, Chain(WebIdentity(sessionName: null), StsSeam(sts)));
        await ResolveIn(Mode.Async, Chain(WebIdentity(sessionName: null), StsSeam(sts)));

        var names = sts.Requests.Select(r => r.Query("RoleSessionName")).ToList();
        Assert.All(names, n => Assert.StartsWith("mongoauth-", n, StringComparison.Ordinal));
        Assert.NotEqual(names[0], names[1]);
    }

    [Theory, BothModes]
    public async Task An_STS_refusal_names_its_error_code_and_lists_the_sources_tried(Mode mode)
    {
        await using var sts = Sts(_ => new FakeHttpResponse(400, """{"Error":{"Code":"InvalidIdentityToken","Message":"Couldn't retrieve verification key"}}"""));

        var error = await Assert.ThrowsAsync<AwsSourceException>(() => ResolveIn(mode, Chain(WebIdentity(), StsSeam(sts))));

        Assert.Contains("1. environment variables: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("2. web identity (AssumeRoleWithWebIdentity): STS answered 400 BadRequest for role arn:aws:iam::123456789012:role/webrole (InvalidIdentityToken)",
            error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ.web-identity.jwt", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task STS_with_a_certificate_from_another_CA_is_refused()
    {
        await using var sts = Sts(_ => FakeHttpResponse.Json("""{"Credentials":{"AccessKeyId":"A","SecretAccessKey":"S"}}"""), pki.UntrustedSts);

        var error = await Assert.ThrowsAsync<AwsSourceException>(() => ResolveIn(Mode.Async, Chain(WebIdentity(), StsSeam(sts))));

        Assert.Contains("POST https://sts.amazonaws.com/ failed", error.Message, StringComparison.Ordinal);
        Assert.Empty(sts.Requests);
    }

    [Fact]
    public async Task A_missing_token_file_is_named()
    {
        var environment = WebIdentity();
        environment.Files.Clear();

        var error = await Assert.ThrowsAsync<AwsSourceException>(() => ResolveIn(Mode.Async, Chain(environment, AwsTestSeam.Http(new Dictionary<(string, int), int>()))));

        Assert.Contains("the token file /var/run/secrets/eks.amazonaws.com/serviceaccount/token (AWS_WEB_IDENTITY_TOKEN_FILE) cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_a_source_returns_already_expired_are_refused()
    {
        await using var imds = Imds("ASIASTALE", Now.AddMinutes(-1));
        var chain = Chain(new FakeAwsEnvironment(), AwsTestSeam.Http(new Dictionary<(string, int), int> { [(AwsTestSeam.Imds, 80)] = imds.Port }));

        var error = await Assert.ThrowsAsync<AwsSourceException>(() => ResolveIn(Mode.Async, chain));

        Assert.Contains("the credentials it returned expired at", error.Message, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task A_silent_endpoint_is_bounded_by_the_operation_deadline(Mode mode)
    {
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (backlog) and never answers
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var chain = Chain(new FakeAwsEnvironment(), AwsTestSeam.Http(new Dictionary<(string, int), int> { [(AwsTestSeam.Imds, 80)] = port }));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var context = OperationContext.Start(mode == Mode.Async, CancellationToken.None, TimeSpan.FromMilliseconds(300));
        using var deadline = context.LinkDeadline(out var linked);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => chain.ResolveAsync(linked));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(8), $"took {started.Elapsed}");
    }
}
