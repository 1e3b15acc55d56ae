using MongoAuth.Authentication.Aws;
using MongoAuth.TestServer.Authentication.Aws;
using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.Aws;

/// <summary>
/// MONGODB-AWS end to end against the test server's SigV4 check, both modes: explicit keys, environment variables, a
/// custom provider, the cache cleared on failure, and every failure path (wrong secret, tampered nonce, bad host,
/// expired credentials, nothing to authenticate with). No error message may hold a secret.
/// </summary>
public sealed class AwsEndToEndTests
{
    [Theory, BothModes]
    public async Task Explicit_keys_on_the_settings_authenticate_as_the_IAM_user(Mode mode)
    {
        await using var server = await AwsTestServer.StartAsync();
        var credential = MongoCredential.CreateMongoAwsCredential(AwsTestServer.UserKey, AwsTestServer.UserSecret);
        await using var client = new MongoClient(server.Settings(credential, AwsTestServer.Dependencies()));

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal($"{AwsTestServer.UserArn}@$external [readWrite@app]", status.ToString());
        Assert.Equal(1, server.Aws.Verifications);
    }

    [Theory, BothModes]
    public async Task Explicit_temporary_keys_with_their_session_token_authenticate_as_the_role(Mode mode)
    {
        await using var server = await AwsTestServer.StartAsync();
        var credential = MongoCredential.CreateMongoAwsCredential(AwsTestServer.RoleKey, AwsTestServer.RoleSecret, AwsTestServer.RoleToken);
        await using var client = new MongoClient(server.Settings(credential, AwsTestServer.Dependencies()));

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal($"{AwsTestServer.RoleUser}@$external [read@app]", status.ToString());
    }

    [Theory, BothModes]
    public async Task Environment_variables_are_used_when_the_credential_has_no_keys(Mode mode)
    {
        await using var server = await AwsTestServer.StartAsync();
        var environment = new FakeAwsEnvironment()
            .With("AWS_ACCESS_KEY_ID", AwsTestServer.RoleKey).With("AWS_SECRET_ACCESS_KEY", AwsTestServer.RoleSecret).With("AWS_SESSION_TOKEN", AwsTestServer.RoleToken);
        var cache = new AwsCredentialCache();
        await using var client = new MongoClient(server.Settings(MongoCredential.CreateMongoAwsCredential(), AwsTestServer.Dependencies(environment, cache: cache)));

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal($"{AwsTestServer.RoleUser}@$external [read@app]", status.ToString());
        Assert.Null(cache.Peek); // environment credentials are read afresh every time, never cached
    }

    [Theory, BothModes]
    public async Task A_custom_provider_is_called_through_the_API_of_the_mode(Mode mode)
    {
        await using var server = await AwsTestServer.StartAsync();
        var provider = new CountingProvider(new AwsCredentials(AwsTestServer.UserKey, AwsTestServer.UserSecret));
        var credential = MongoCredential.CreateMongoAwsCredential().WithMechanismProperty("AWS_CREDENTIAL_PROVIDER", provider);
        var environment = new FakeAwsEnvironment().With("AWS_ACCESS_KEY_ID", "AKIAIGNORED").With("AWS_SECRET_ACCESS_KEY", "ignored");
        await using var client = new MongoClient(server.Settings(credential, AwsTestServer.Dependencies(environment)));

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal(AwsTestServer.UserArn, status.AuthenticatedUsers[0].User);
        Assert.Equal(mode == Mode.Sync ? (1, 0) : (0, 1), (provider.SyncCalls, provider.AsyncCalls));
    }

    [Theory, BothModes]
    public async Task The_region_is_taken_from_the_host_the_server_names(Mode mode)
    {
        await using var server = await AwsTestServer.StartAsync();
        server.Aws.StsHost = "sts.eu-central-1.amazonaws.com";
        var credential = MongoCredential.CreateMongoAwsCredential(AwsTestServer.UserKey, AwsTestServer.UserSecret);
        await using var client = new MongoClient(server.Settings(credential, AwsTestServer.Dependencies()));

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal(AwsTestServer.UserArn, status.AuthenticatedUsers[0].User);
    }

    [Theory, BothModes]
    public async Task A_wrong_secret_is_AuthenticationFailed_without_the_secret_and_clears_the_cache(Mode mode)
    {
        await using var server = await AwsTestServer.StartAsync();
        var cache = new AwsCredentialCache();
        // A poisoned cache: fetched credentials, still valid for an hour, whose secret is wrong.
        cache.Set(new AwsCredentials(AwsTestServer.UserKey, "wrong-secret-value-123", null, DateTimeOffset.UtcNow.AddHours(1)), "web identity");
        var environment = new FakeAwsEnvironment();
        await using var client = new MongoClient(server.Settings(MongoCredential.CreateMongoAwsCredential(), AwsTestServer.Dependencies(environment, cache: cache)));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.PingIn(mode));

        Assert.Equal(18, error.ServerErrorCode);
        Assert.Equal("MONGODB-AWS", error.Mechanism);
        Assert.Contains("signature mismatch", error.Message, StringComparison.Ordinal);
        Assert.Contains("check that the secret matches the access key id", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-value-123", error.ToString(), StringComparison.Ordinal);
        Assert.Null(cache.Peek);

        // The next authentication does not reuse the poisoned credentials: it takes what the environment now holds.
        environment.With("AWS_ACCESS_KEY_ID", AwsTestServer.UserKey).With("AWS_SECRET_ACCESS_KEY", AwsTestServer.UserSecret);
        Assert.Equal(AwsTestServer.UserArn, (await client.GetConnectionStatusIn(mode)).AuthenticatedUsers[0].User);
    }

    [Theory]
    [InlineData(Mode.Sync, AwsServerFirstFault.ShortNonce, "the server nonce is 48 bytes; MONGODB-AWS requires 64")]
    [InlineData(Mode.Async, AwsServerFirstFault.ShortNonce, "the server nonce is 48 bytes; MONGODB-AWS requires 64")]
    [InlineData(Mode.Sync, AwsServerFirstFault.ForeignNonce, "the server nonce does not start with the client nonce")]
    [InlineData(Mode.Async, AwsServerFirstFault.ForeignNonce, "the server nonce does not start with the client nonce")]
    public async Task A_tampered_server_nonce_is_refused_before_anything_is_signed(Mode mode, AwsServerFirstFault fault, string check)
    {
        await using var server = await AwsTestServer.StartAsync();
        server.Aws.Fault = fault;
        var credential = MongoCredential.CreateMongoAwsCredential(AwsTestServer.UserKey, AwsTestServer.UserSecret);
        await using var client = new MongoClient(server.Settings(credential, AwsTestServer.Dependencies()));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.PingIn(mode));

        Assert.Contains(check, error.Message, StringComparison.Ordinal);
        Assert.Null(error.ServerErrorCode);
        Assert.Equal(0, server.Aws.Verifications);
    }

    [Theory]
    [InlineData(Mode.Sync, "sts..amazonaws.com", "empty label")]
    [InlineData(Mode.Async, ".amazonaws.com", "starts or ends with a dot")]
    [InlineData(Mode.Async, "", "0 bytes long")]
    public async Task A_bad_STS_host_is_refused(Mode mode, string host, string check)
    {
        await using var server = await AwsTestServer.StartAsync();
        server.Aws.StsHost = host;
        var credential = MongoCredential.CreateMongoAwsCredential(AwsTestServer.UserKey, AwsTestServer.UserSecret);
        await using var client = new MongoClient(server.Settings(credential, AwsTestServer.Dependencies()));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.PingIn(mode));

        Assert.Contains("invalid STS host", error.Message, StringComparison.Ordinal);
        Assert.Contains(check, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Aws.Verifications);
    }

    [Theory, BothModes]
    public async Task Expired_temporary_credentials_are_AuthenticationFailed(Mode mode)
    {
        await using var server = await AwsTestServer.StartAsync(
            new AwsIdentity("ASIAEXPIREDKEY000001", "expired/secret", "arn:aws:sts::123456789012:assumed-role/app/old", "old-token", DateTimeOffset.UtcNow.AddMinutes(-1)));
        var credential = MongoCredential.CreateMongoAwsCredential("ASIAEXPIREDKEY000001", "expired/secret", "old-token");
        await using var client = new MongoClient(server.Settings(credential, AwsTestServer.Dependencies()));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.PingIn(mode));

        Assert.Equal(18, error.ServerErrorCode);
        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("old-token", error.ToString(), StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task A_missing_session_token_is_AuthenticationFailed(Mode mode)
    {
        await using var server = await AwsTestServer.StartAsync();
        var credential = MongoCredential.CreateMongoAwsCredential(AwsTestServer.RoleKey, AwsTestServer.RoleSecret);
        await using var client = new MongoClient(server.Settings(credential, AwsTestServer.Dependencies()));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.PingIn(mode));

        Assert.Equal(18, error.ServerErrorCode);
        Assert.Contains("security token", error.Message, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task With_no_source_the_error_lists_every_source_tried_and_why(Mode mode)
    {
        await using var server = await AwsTestServer.StartAsync();
        await using var client = new MongoClient(server.Settings(MongoCredential.CreateMongoAwsCredential(), AwsTestServer.Dependencies()));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.PingIn(mode));

        Assert.Contains("1. environment variables: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("2. web identity (AssumeRoleWithWebIdentity): AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("3. ECS container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("4. EC2 instance metadata (IMDSv2): PUT http://169.254.169.254/latest/api/token failed: test seam: no loopback mapping", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Server.Statistics.CommandsReceived("saslStart"));
    }

    [Fact]
    public void Credentials_in_the_connection_string_are_refused_with_where_credentials_come_from()
    {
        const string uri = "mongodb://AKIAUSERKEYEXAMPLE01:uri-secret-value@127.0.0.1/?authMechanism=MONGODB-AWS";

        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(uri));

        Assert.Equal("username", error.OptionName);
        Assert.Contains("AWS credentials come from the environment", error.Message, StringComparison.Ordinal);
        Assert.Contains("never from the connection string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("uri-secret-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clients_share_one_process_wide_cache_by_default()
    {
        var first = new AwsMechanism(MongoCredential.CreateMongoAwsCredential());
        var second = new AwsMechanism(MongoCredential.CreateMongoAwsCredential());

        Assert.Same(AwsCredentialCache.Shared, first.Chain.Dependencies.Cache);
        Assert.Same(first.Chain.Dependencies.Cache, second.Chain.Dependencies.Cache);
    }

    [Theory, BothModes]
    public async Task Credentials_fetched_from_the_ECS_endpoint_authenticate_and_are_reused_by_the_next_connection(Mode mode)
    {
        await using var server = await AwsTestServer.StartAsync();
        var expiration = DateTimeOffset.UtcNow.AddHours(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        await using var ecs = FakeHttpServer.Start(_ => FakeHttpResponse.Json(
            $$"""{"AccessKeyId":"{{AwsTestServer.RoleKey}}","SecretAccessKey":"{{AwsTestServer.RoleSecret}}","Token":"{{AwsTestServer.RoleToken}}","Expiration":"{{expiration}}"}"""));
        var environment = new FakeAwsEnvironment().With("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/task");
        var http = AwsTestSeam.Http(new Dictionary<(string, int), int> { [(AwsTestSeam.Ecs, 80)] = ecs.Port });
        var dependencies = AwsTestServer.Dependencies(environment, http);
        await using var first = new MongoClient(server.Settings(MongoCredential.CreateMongoAwsCredential(), dependencies));
        await using var second = new MongoClient(server.Settings(MongoCredential.CreateMongoAwsCredential(), dependencies));

        Assert.Equal(AwsTestServer.RoleUser, (await first.GetConnectionStatusIn(mode)).AuthenticatedUsers[0].User);
        Assert.Equal(AwsTestServer.RoleUser, (await second.GetConnectionStatusIn(mode)).AuthenticatedUsers[0].User);

        Assert.Single(ecs.Requests);
        Assert.Equal(2, server.Aws.Verifications);
    }

    [Theory, BothModes]
    public async Task A_credential_endpoint_that_never_answers_ends_at_connectTimeoutMS(Mode mode)
    {
        await using var server = await AwsTestServer.StartAsync();
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var http = AwsTestSeam.Http(new Dictionary<(string, int), int> { [(AwsTestSeam.Imds, 80)] = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port });
        await using var client = new MongoClient(server.Settings(MongoCredential.CreateMongoAwsCredential(), AwsTestServer.Dependencies(http: http),
            connectTimeout: TimeSpan.FromMilliseconds(500)));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAnyAsync<MongoException>(() => client.PingIn(mode));

        var timeout = error as MongoOperationTimeoutException ?? error.InnerException as MongoOperationTimeoutException;
        Assert.True(timeout is not null, error.ToString());
        Assert.Equal("connectTimeoutMS", timeout.TimeoutOption);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(8), $"took {started.Elapsed}");
    }

    [Theory, BothModes]
    public async Task A_connection_string_names_the_mechanism_and_code_adds_the_keys(Mode mode)
    {
        await using var server = await AwsTestServer.StartAsync();
        var settings = MongoClientSettings.FromConnectionString($"mongodb://127.0.0.1:{server.Server.Port}/?authMechanism=MONGODB-AWS&connectTimeoutMS=5000");
        Assert.Null(settings.Credential!.Username);
        settings = server.Settings(MongoCredential.CreateMongoAwsCredential(AwsTestServer.UserKey, AwsTestServer.UserSecret), AwsTestServer.Dependencies()) with
        {
            Servers = settings.Servers,
        };
        await using var client = new MongoClient(settings);

        Assert.Equal(AwsTestServer.UserArn, (await client.GetConnectionStatusIn(mode)).AuthenticatedUsers[0].User);
        Assert.DoesNotContain(AwsTestServer.UserSecret, settings.Credential!.ToString(), StringComparison.Ordinal);
    }
}
