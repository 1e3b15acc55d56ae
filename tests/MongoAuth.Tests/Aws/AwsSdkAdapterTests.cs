using System.Globalization;
using Amazon.Runtime;
using MongoAuth.Aws;
using MongoAuth.Tests.Support;
using MongoAuth.TestServer.Authentication.Aws;
using MongoDB.Bson;

namespace MongoAuth.Tests.Aws;

/// <summary>
/// MongoAuth.Aws: the AWS SDK's credential chain as the custom provider. The SDK reads its settings from the process
/// environment, so every chain case runs in a child process (tests/MongoAuth.Aws.Probe) with its own environment: the
/// SDK's own loopback settings (AWS_ENDPOINT_URL_STS, AWS_CONTAINER_CREDENTIALS_FULL_URI,
/// AWS_EC2_METADATA_SERVICE_ENDPOINT) point at fakes on 127.0.0.1, instance metadata is disabled unless it is the case
/// under test, and the shared config and credentials files point at nothing. Each source has its own key, so the
/// identity the test server reports says which source the SDK used.
/// </summary>
public sealed class AwsSdkAdapterTests
{
    private static string Expiration => DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static AwsIdentity Identity(string key, string arn) => new(key, key + "-secret", arn, key + "-token");

    private static string MetadataJson(string key) =>
        $$"""{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"{{key}}","SecretAccessKey":"{{key}}-secret","Token":"{{key}}-token","Expiration":"{{Expiration}}","LastUpdated":"{{Expiration}}"}""";

    private static Task<BsonDocument> ProbeAsync(int port, Dictionary<string, string> environment) =>
        ProbeProcess.RunAsync("MongoAuth.Aws.Probe", [port.ToString(CultureInfo.InvariantCulture)], ["AWS_"], environment);

    private static void AssertUser(BsonDocument outcome, string user, string sdkType)
    {
        Assert.True(outcome["sync"] == user, outcome.ToString());
        Assert.True(outcome["async"] == user, outcome.ToString());
        Assert.Equal(sdkType, outcome["sdk"].AsString);
    }

    [Fact]
    public async Task Environment_variables_through_the_SDK()
    {
        await using var server = await AwsTestServer.StartAsync();

        var outcome = await ProbeAsync(server.Server.Port, new()
        {
            ["AWS_ACCESS_KEY_ID"] = AwsTestServer.RoleKey,
            ["AWS_SECRET_ACCESS_KEY"] = AwsTestServer.RoleSecret,
            ["AWS_SESSION_TOKEN"] = AwsTestServer.RoleToken,
        });

        AssertUser(outcome, AwsTestServer.RoleUser, "EnvironmentVariablesAWSCredentials");
    }

    [Fact]
    public async Task Web_identity_through_the_SDK_and_its_STS_endpoint_setting()
    {
        await using var server = await AwsTestServer.StartAsync(Identity("ASIASDKWEBIDENTITY01", "arn:aws:sts::123456789012:assumed-role/webrole/mongo-test"));
        await using var sts = FakeHttpServer.Start(request => request.Body.Contains("Action=AssumeRoleWithWebIdentity", StringComparison.Ordinal)
            && request.Body.Contains("WebIdentityToken=sdk.web.token", StringComparison.Ordinal)
            ? new FakeHttpResponse(200, $"""
                <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleWithWebIdentityResult>
                    <Credentials><AccessKeyId>ASIASDKWEBIDENTITY01</AccessKeyId><SecretAccessKey>ASIASDKWEBIDENTITY01-secret</SecretAccessKey>
                      <SessionToken>ASIASDKWEBIDENTITY01-token</SessionToken><Expiration>{Expiration}</Expiration></Credentials>
                    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/webrole/mongo-test</Arn><AssumedRoleId>AROAEXAMPLE:mongo-test</AssumedRoleId></AssumedRoleUser>
                    <SubjectFromWebIdentityToken>system:serviceaccount:app:web</SubjectFromWebIdentityToken>
                  </AssumeRoleWithWebIdentityResult>
                  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>
                </AssumeRoleWithWebIdentityResponse>
                """, "text/xml")
            : new FakeHttpResponse(400, "<ErrorResponse><Error><Code>InvalidIdentityToken</Code></Error></ErrorResponse>", "text/xml"));
        var tokenFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokenFile, "sdk.web.token");
        try
        {
            var outcome = await ProbeAsync(server.Server.Port, new()
            {
                ["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile,
                ["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/webrole",
                ["AWS_ROLE_SESSION_NAME"] = "mongo-test",
                ["AWS_REGION"] = "us-east-1",
                ["AWS_ENDPOINT_URL_STS"] = $"http://127.0.0.1:{sts.Port}",
            });

            AssertUser(outcome, "arn:aws:sts::123456789012:assumed-role/webrole/*", "AssumeRoleWithWebIdentityCredentials");
            Assert.NotEmpty(sts.Requests);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task Container_credentials_through_the_SDK_full_uri()
    {
        await using var server = await AwsTestServer.StartAsync(Identity("ASIASDKCONTAINER0001", "arn:aws:sts::123456789012:assumed-role/task/abc"));
        await using var ecs = FakeHttpServer.Start(r => r.Header("authorization") == "container-token"
            ? FakeHttpResponse.Json(MetadataJson("ASIASDKCONTAINER0001"))
            : new FakeHttpResponse(403, "{}"));

        var outcome = await ProbeAsync(server.Server.Port, new()
        {
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = $"http://127.0.0.1:{ecs.Port}/ecs/creds",
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "container-token",
        });

        AssertUser(outcome, "arn:aws:sts::123456789012:assumed-role/task/*", "GenericContainerCredentials");
    }

    [Fact]
    public async Task Instance_metadata_through_the_SDK_endpoint_setting()
    {
        await using var server = await AwsTestServer.StartAsync(Identity("ASIASDKINSTANCE00001", "arn:aws:sts::123456789012:assumed-role/ec2role/i-0abc"));
        await using var imds = FakeHttpServer.Start(request => (request.Method, request.Path) switch
        {
            ("PUT", "/latest/api/token") => new FakeHttpResponse(200, "imds-token", "text/plain"),
            (_, _) when request.Header("x-aws-ec2-metadata-token") != "imds-token" => new FakeHttpResponse(401, "", "text/plain"),
            ("GET", "/latest/meta-data/iam/info") => FakeHttpResponse.Json($$"""{"Code":"Success","LastUpdated":"{{Expiration}}","InstanceProfileArn":"arn:aws:iam::123456789012:instance-profile/ec2role","InstanceProfileId":"AIPAEXAMPLE"}"""),
            ("GET", "/latest/meta-data/iam/security-credentials" or "/latest/meta-data/iam/security-credentials/") => new FakeHttpResponse(200, "ec2role", "text/plain"),
            ("GET", "/latest/meta-data/iam/security-credentials/ec2role") => FakeHttpResponse.Json(MetadataJson("ASIASDKINSTANCE00001")),
            _ => new FakeHttpResponse(404, "", "text/plain"),
        });

        var outcome = await ProbeAsync(server.Server.Port, new()
        {
            ["AWS_EC2_METADATA_DISABLED"] = "false",
            ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = $"http://127.0.0.1:{imds.Port}",
        });

        Assert.True(outcome["sync"] == "arn:aws:sts::123456789012:assumed-role/ec2role/*",
            $"{outcome}\nIMDS saw: {string.Join(", ", imds.Requests.Select(r => $"{r.Method} {r.Target} [{string.Join(";", r.Headers.Keys)}]"))}");
        AssertUser(outcome, "arn:aws:sts::123456789012:assumed-role/ec2role/*", "DefaultInstanceProfileAWSCredentials");
    }

    [Fact]
    public async Task Without_any_source_the_SDKs_error_reaches_the_caller()
    {
        await using var server = await AwsTestServer.StartAsync();

        var outcome = await ProbeAsync(server.Server.Port, []);

        Assert.Equal("MongoAuthenticationException", outcome["sync"]["error"].AsString);
        Assert.Contains("AWS_CREDENTIAL_PROVIDER (AwsSdkCredentialProvider) failed", outcome["sync"]["message"].AsString, StringComparison.Ordinal);
        Assert.Contains("AWS_CREDENTIAL_PROVIDER", outcome["async"]["message"].AsString, StringComparison.Ordinal);
        Assert.Equal(0, server.Server.Statistics.CommandsReceived("saslStart"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Given_SDK_credentials_are_converted_in_both_modes(bool isAsync)
    {
        var provider = new AwsSdkCredentialProvider(new SessionAWSCredentials("ASIAGIVEN", "given-secret", "given-token"));

        var credentials = isAsync ? await provider.GetCredentialsAsync(CancellationToken.None) : provider.GetCredentials(CancellationToken.None);

        Assert.Equal(("ASIAGIVEN", "given-secret", "given-token"), (credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
        Assert.Null(new AwsSdkCredentialProvider(new BasicAWSCredentials("AKIAGIVEN", "s")).GetCredentials(CancellationToken.None).SessionToken);
        Assert.Equal("MONGODB-AWS", MongoAwsSdk.CreateCredential(new BasicAWSCredentials("AKIAGIVEN", "s")).Mechanism);
    }
}
