using System.Globalization;
using MongoAuth.Tests.Aws;
using MongoAuth.Tests.Support;
using MongoAuth.TestServer.Authentication.Aws;
using MongoDB.Bson;

namespace MongoAuth.Tests.Reference;

/// <summary>
/// The official Node.js driver with MONGODB-AWS (the official C# driver cannot be the reference here: its AWS package
/// is not on the feed) against the test server's SigV4 check: with environment credentials and with web identity
/// (the JS SDK's STS call sent to a loopback fake through AWS_ENDPOINT_URL_STS) it must see the same <c>$external</c>
/// identity and roles as our client in both modes, and a wrong secret is code 18 for both. Each run is a child
/// process (tests/node/aws.js) with its own environment: instance metadata disabled, no shared AWS files.
/// </summary>
public sealed class NodeDriverAwsTests
{
    private static string Uri(AwsTestServer server) => $"mongodb://127.0.0.1:{server.Server.Port}/?directConnection=true&authMechanism=MONGODB-AWS";

    private static async Task<BsonDocument> NodeAsync(AwsTestServer server, Dictionary<string, string> environment)
    {
        var aws4 = Path.Combine(NodeDriver.Directory, "aws4", "node_modules");
        if (!File.Exists(Path.Combine(aws4, "aws4", "package.json")))
        {
            throw new InvalidOperationException($"The Node.js reference client is not installed in {NodeDriver.Directory}: run tests/node/install.sh (./test.sh does).");
        }

        // The child sees no AWS variable of this process, only the test's: instance metadata off, no shared AWS files.
        var child = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(k => k, string? (_) => null);
        // mongodb 6.x signs MONGODB-AWS with the optional `aws4` module, installed apart from the shared lock file.
        child["NODE_PATH"] = aws4;
        child["AWS_EC2_METADATA_DISABLED"] = "true";
        child["AWS_CONFIG_FILE"] = "/nonexistent/aws-config";
        child["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials";
        foreach (var (name, value) in environment)
        {
            child[name] = value;
        }

        var input = new BsonDocument { { "uri", Uri(server) }, { "commands", new BsonArray { new BsonDocument("connectionStatus", 1) } } };
        var (output, _) = await NodeDriver.RunScriptAsync("aws.js", "@aws-sdk/credential-providers", input, environment: child);
        return BsonDocument.Parse(output.Trim().Split('\n')[^1]);
    }

    private static BsonDocument AuthInfo(BsonDocument node)
    {
        Assert.False(node.Contains("error"), $"Node.js failed to authenticate: {node}");
        var result = node["results"][0].AsBsonDocument;
        Assert.True(result.Contains("reply"), $"Node.js connectionStatus failed: {node}");
        return result["reply"]["authInfo"].AsBsonDocument;
    }

    private static async Task AssertSameIdentityAsync(AwsTestServer server, BsonDocument node, MongoCredential credential, FakeAwsEnvironment environment)
    {
        await using var ours = new MongoClient(server.Settings(credential, AwsTestServer.Dependencies(environment)));
        var nodeInfo = AuthInfo(node);
        var sync = (await ours.GetDatabase("admin").RunCommandIn(Mode.Sync, new BsonDocument("connectionStatus", 1)))["authInfo"];
        var async = (await ours.GetDatabase("admin").RunCommandIn(Mode.Async, new BsonDocument("connectionStatus", 1)))["authInfo"];

        Assert.True(nodeInfo.Equals(sync), $"ours (sync): {sync}\nNode.js: {nodeInfo}");
        Assert.True(nodeInfo.Equals(async), $"ours (async): {async}\nNode.js: {nodeInfo}");
        Assert.NotEmpty(nodeInfo["authenticatedUserRoles"].AsBsonArray);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Node_with_environment_credentials_sees_the_identity_our_client_sees(bool temporary)
    {
        await using var server = await AwsTestServer.StartAsync();
        var (key, secret, token) = temporary
            ? (AwsTestServer.RoleKey, AwsTestServer.RoleSecret, AwsTestServer.RoleToken)
            : (AwsTestServer.UserKey, AwsTestServer.UserSecret, null);
        var variables = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = key, ["AWS_SECRET_ACCESS_KEY"] = secret };
        if (token is not null)
        {
            variables["AWS_SESSION_TOKEN"] = token;
        }

        var node = await NodeAsync(server, variables);

        var environment = new FakeAwsEnvironment();
        foreach (var (name, value) in variables)
        {
            environment.With(name, value);
        }

        await AssertSameIdentityAsync(server, node, MongoCredential.CreateMongoAwsCredential(), environment);
        Assert.Equal(temporary ? AwsTestServer.RoleUser : AwsTestServer.UserArn, AuthInfo(node)["authenticatedUsers"][0]["user"].AsString);
    }

    [Fact]
    public async Task Node_with_web_identity_sees_the_role_our_client_sees()
    {
        const string key = "ASIANODEWEBIDENTITY1";
        await using var server = await AwsTestServer.StartAsync(new AwsIdentity(key, key + "-secret", "arn:aws:sts::123456789012:assumed-role/webrole/node-session",
            key + "-token", Roles: [new MongoAuth.TestServer.Authentication.GrantedRole("read", "app")]));
        var expiration = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await using var sts = FakeHttpServer.Start(request => request.Body.Contains("Action=AssumeRoleWithWebIdentity", StringComparison.Ordinal)
            && request.Body.Contains("WebIdentityToken=node.web.token", StringComparison.Ordinal)
            ? new FakeHttpResponse(200, $"""
                <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleWithWebIdentityResult>
                    <Credentials><AccessKeyId>{key}</AccessKeyId><SecretAccessKey>{key}-secret</SecretAccessKey><SessionToken>{key}-token</SessionToken><Expiration>{expiration}</Expiration></Credentials>
                    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/webrole/node-session</Arn><AssumedRoleId>AROAEXAMPLE:node-session</AssumedRoleId></AssumedRoleUser>
                  </AssumeRoleWithWebIdentityResult>
                  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000001</RequestId></ResponseMetadata>
                </AssumeRoleWithWebIdentityResponse>
                """, "text/xml")
            : new FakeHttpResponse(400, "<ErrorResponse><Error><Code>InvalidIdentityToken</Code></Error></ErrorResponse>", "text/xml"));
        var tokenFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokenFile, "node.web.token");
        try
        {
            var node = await NodeAsync(server, new()
            {
                ["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile,
                ["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/webrole",
                ["AWS_ROLE_SESSION_NAME"] = "node-session",
                ["AWS_REGION"] = "us-east-1",
                ["AWS_ENDPOINT_URL_STS"] = $"http://127.0.0.1:{sts.Port}",
            });

            // Our client exchanges the same token through its own web identity source: its STS request goes to the fixed
            // https://sts.amazonaws.com, answered through the test seam by a JSON fake with a test-CA certificate.
            Assert.NotEmpty(sts.Requests);
            using var pki = new StsCertificateFixture();
            await using var ourSts = FakeHttpServer.Start(request => request.Query("WebIdentityToken") == "node.web.token"
                ? FakeHttpResponse.Json($$"""{"Credentials":{"AccessKeyId":"{{key}}","SecretAccessKey":"{{key}}-secret","SessionToken":"{{key}}-token","Expiration":"{{expiration}}"}""" + "}")
                : new FakeHttpResponse(400, "{}"), pki.Sts);
            var ours = new FakeAwsEnvironment()
                .With("AWS_WEB_IDENTITY_TOKEN_FILE", "/token").With("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/webrole").With("AWS_ROLE_SESSION_NAME", "node-session");
            ours.Files["/token"] = "node.web.token";
            var http = AwsTestSeam.Http(new Dictionary<(string, int), int> { [(AwsTestSeam.Sts, 443)] = ourSts.Port }, pki.Root.Certificate);
            await using var client = new MongoClient(server.Settings(MongoCredential.CreateMongoAwsCredential(), AwsTestServer.Dependencies(ours, http)));
            var nodeInfo = AuthInfo(node);
            foreach (var mode in new[] { Mode.Sync, Mode.Async })
            {
                var info = (await client.GetDatabase("admin").RunCommandIn(mode, new BsonDocument("connectionStatus", 1)))["authInfo"];
                Assert.True(nodeInfo.Equals(info), $"ours ({mode}): {info}\nNode.js: {nodeInfo}");
            }

            Assert.NotEmpty(ourSts.Requests);
            Assert.Equal("arn:aws:sts::123456789012:assumed-role/webrole/*", AuthInfo(node)["authenticatedUsers"][0]["user"].AsString);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task A_wrong_secret_is_AuthenticationFailed_for_Node_and_our_client()
    {
        await using var server = await AwsTestServer.StartAsync();
        const string wrong = "not-the-user-secret-0000000000000000000";

        var node = await NodeAsync(server, new() { ["AWS_ACCESS_KEY_ID"] = AwsTestServer.UserKey, ["AWS_SECRET_ACCESS_KEY"] = wrong });
        await using var ours = new MongoClient(server.Settings(MongoCredential.CreateMongoAwsCredential(AwsTestServer.UserKey, wrong), AwsTestServer.Dependencies()));
        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => ours.PingIn(Mode.Async));

        Assert.True(node.Contains("error") && node["error"]["code"] == 18, $"Node.js: {node}");
        Assert.Equal(18, error.ServerErrorCode);
        Assert.DoesNotContain(wrong, node.ToString(), StringComparison.Ordinal);
    }
}
