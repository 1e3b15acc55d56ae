using System.Text.RegularExpressions;
using MongoAuth.Authentication.Oidc;
using MongoAuth.Cli.Commands;
using MongoAuth.Tests.Oidc;
using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.Cli;

/// <summary>
/// <c>mongoauth serve</c> with <c>--aws-identity</c>, <c>--oidc-user</c> and <c>--replica-set</c>, all rows of the one
/// option table: the flags parse (and wrong ones are named), and the printed MONGODB-AWS and MONGODB-OIDC lines connect
/// as printed: AWS with the keys from code, ENVIRONMENT:test with the printed token file, and the Azure and Google
/// adapters (in a child process, through the SDKs' own settings) against the dev server's identity endpoints.
/// </summary>
public sealed partial class ServeCloudMechanismTests
{
    private const string Secret = "Dev/Aws+Secret0000000000000000000000000";

    [Theory]
    [InlineData("--aws-identity AKIA:secret:arn:aws:iam::1:user/a --aws-identity ASIA:s:tok:arn:aws:sts::1:assumed-role/r/s", 2, 0)]
    [InlineData("--oidc-user alice --oidc-user bob --oidc-audience api://x --oidc-token-lifetime 60", 0, 2)]
    public void Cloud_flags_parse(string args, int awsIdentities, int oidcUsers)
    {
        var options = ServeOptions.Parse(args.Split(' '));

        Assert.Equal(awsIdentities, options.AwsIdentities.Count);
        Assert.All(options.AwsIdentities, i => Assert.Equal(["root@admin"], i.Roles!.Select(r => $"{r.Role}@{r.Db}")));
        Assert.Equal(oidcUsers, options.OidcUsers.Count);
        if (oidcUsers > 0)
        {
            Assert.Equal(("api://x", TimeSpan.FromSeconds(60)), (options.OidcAudience, options.OidcTokenLifetime));
        }
    }

    [Fact]
    public void Replica_set_flags_are_rows_of_the_same_table()
    {
        var options = ServeOptions.Parse(["--replica-set", "rs0", "--members", "5", "--no-tls", "--user", "app:pw"]);

        Assert.Equal(("rs0", 5, false), (options.ReplicaSetName, options.Members, options.Tls));
        Assert.Null(ServeOptions.Parse(["--replica-set", "rs0"]).Members);
        foreach (var option in new[] { "--replica-set", "--members", "--aws-identity", "--oidc-user", "--oidc-audience", "--oidc-token-lifetime" })
        {
            Assert.Contains(option, ServeCommand.Usage, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--aws-identity AKIA:secret", "--aws-identity: an AWS identity is AKID:SECRET[:SESSION_TOKEN]:ARN")]
    [InlineData("--oidc-user", "--oidc-user needs a value")]
    [InlineData("--oidc-audience api://x", "--oidc-audience and --oidc-token-lifetime need --oidc-user")]
    [InlineData("--oidc-user a --oidc-token-lifetime 5", "--oidc-token-lifetime must be a number of seconds from 10")]
    [InlineData("--members 3", "--members needs --replica-set")]
    [InlineData("--replica-set rs0 --members 51", "--members must be a number from 1 to 50")]
    [InlineData("--replica-set rs0 --port 27017 --oidc-user a", "--replica-set takes --members, --no-tls and --user only; --port, --oidc-user apply to a single server")]
    public void Bad_cloud_and_replica_set_flags_are_named(string args, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ServeOptions.Parse(args.Split(' ')));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_AWS_secret_is_never_quoted_in_a_parse_error() =>
        Assert.DoesNotContain("very-secret-value", Assert.Throws<ArgumentException>(() => ServeOptions.Parse(["--aws-identity", "AKIA:very-secret-value:nope"])).Message, StringComparison.Ordinal);

    [Theory, BothModes]
    public async Task The_printed_AWS_line_connects_with_the_keys_given_from_code(Mode mode)
    {
        await using var serve = await RunningServe.StartAsync(["--port", "0", "--aws-identity", $"AKIADEVSERVER0000001:{Secret}:arn:aws:iam::123456789012:user/dev"]);

        var heading = serve.Output.Split('\n', StringSplitOptions.TrimEntries).Single(l => l.StartsWith("MONGODB-AWS identity", StringComparison.Ordinal));
        Assert.Contains("AWS_ACCESS_KEY_ID=AKIADEVSERVER0000001 AWS_SECRET_ACCESS_KEY=<secret>", heading, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, serve.Output, StringComparison.Ordinal);
        var settings = MongoClientSettings.FromConnectionString(serve.Line("MONGODB-AWS identity")) with
        {
            Credential = MongoCredential.CreateMongoAwsCredential("AKIADEVSERVER0000001", Secret),
        };
        await using var client = new MongoClient(settings);

        Assert.Equal("arn:aws:iam::123456789012:user/dev@$external [root@admin]", (await client.GetConnectionStatusIn(mode)).ToString());
    }

    [Theory, BothModes]
    public async Task The_printed_ENVIRONMENT_test_line_connects_with_the_printed_token_file(Mode mode)
    {
        await using var serve = await RunningServe.StartAsync(["--port", "0", "--oidc-user", "alice", "--oidc-user", "bob"]);

        foreach (var user in new[] { "alice", "bob" })
        {
            var heading = $"MONGODB-OIDC user {user} with ENVIRONMENT:test";
            var tokenFile = TokenFile().Match(serve.Output.Split('\n').Single(l => l.StartsWith(heading, StringComparison.Ordinal))).Groups[1].Value;
            var token = (await File.ReadAllTextAsync(tokenFile)).Trim();
            Assert.DoesNotContain(token, serve.Output, StringComparison.Ordinal);
            var host = new OidcHost { GetEnvironmentVariable = name => name == "OIDC_TOKEN_FILE" ? tokenFile : null };
            var settings = MongoClientSettings.FromConnectionString(serve.Line(heading)) with { Mechanisms = OidcTestServer.WithHost(host) };
            Assert.Contains("tls=true", serve.Line(heading), StringComparison.Ordinal);
            await using var client = new MongoClient(settings);

            Assert.Equal($"{user}@$external [root@admin]", (await client.GetConnectionStatusIn(mode)).ToString());
        }
    }

    [Fact]
    public async Task The_token_files_are_rewritten_before_they_expire_and_removed_at_exit()
    {
        string tokenFile;
        await using (var serve = await RunningServe.StartAsync(["--port", "0", "--no-tls", "--oidc-user", "alice", "--oidc-token-lifetime", "10"]))
        {
            tokenFile = TokenFile().Match(serve.Output).Groups[1].Value;
            var first = await File.ReadAllTextAsync(tokenFile);
            string next = first;
            for (var i = 0; i < 200 && next == first; i++)
            {
                await Task.Delay(100);
                next = await File.ReadAllTextAsync(tokenFile);
            }
            Assert.NotEqual(first, next); // rewritten at half the lifetime (5 s)
        }
        Assert.False(File.Exists(tokenFile));
    }

    [Fact]
    public async Task The_printed_Azure_and_Google_lines_connect_through_the_SDKs_against_the_dev_servers_identity_endpoints()
    {
        await using var serve = await RunningServe.StartAsync(["--port", "0", "--no-tls", "--oidc-user", "workload"]);
        var azure = serve.Output.Split('\n').Single(l => l.StartsWith("MONGODB-OIDC user workload through MongoAuth.Azure", StringComparison.Ordinal));
        var google = serve.Output.Split('\n').Single(l => l.StartsWith("MONGODB-OIDC user workload through MongoAuth.Google", StringComparison.Ordinal));
        string Value(string line, string name) => Regex.Match(line, $"{name}=(\\S+)").Groups[1].Value;

        var appService = await OidcProbe.RunAsync("azure", serve.Port, "api://mongoauth-test", new Dictionary<string, string>
        {
            ["IDENTITY_ENDPOINT"] = Value(azure, "IDENTITY_ENDPOINT"),
            ["IDENTITY_HEADER"] = Value(azure, "IDENTITY_HEADER"),
        });
        var imds = await OidcProbe.RunAsync("azure", serve.Port, "api://mongoauth-test", new Dictionary<string, string>
        {
            ["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = Value(azure, "AZURE_POD_IDENTITY_AUTHORITY_HOST"),
        });
        var gce = await OidcProbe.RunAsync("google", serve.Port, "api://mongoauth-test", new Dictionary<string, string>
        {
            ["GCE_METADATA_HOST"] = Value(google, "GCE_METADATA_HOST"),
        });
        var wrongHeader = await OidcProbe.RunAsync("azure", serve.Port, "api://mongoauth-test", new Dictionary<string, string>
        {
            ["IDENTITY_ENDPOINT"] = Value(azure, "IDENTITY_ENDPOINT"),
            ["IDENTITY_HEADER"] = "not-the-dev-servers",
        });

        OidcProbe.AssertUser(appService, "workload", "sync", "async");
        OidcProbe.AssertUser(imds, "workload", "sync", "async");
        OidcProbe.AssertUser(gce, "workload", "sync", "async");
        Assert.True(wrongHeader["sync"].IsBsonDocument, wrongHeader.ToString());
    }

    [GeneratedRegex("OIDC_TOKEN_FILE=(\\S+)")]
    private static partial Regex TokenFile();
}
