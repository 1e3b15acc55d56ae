using MongoAuth.Cli.Commands;

namespace MongoAuth.Tests.Aws;

/// <summary><c>mongoauth check</c> names the source of the MONGODB-AWS credentials, never a secret.</summary>
public sealed class AwsCheckCommandTests
{
    [Fact]
    public async Task Check_says_the_keys_came_from_the_settings()
    {
        await using var server = await AwsTestServer.StartAsync();
        var settings = server.Settings(MongoCredential.CreateMongoAwsCredential(AwsTestServer.RoleKey, AwsTestServer.RoleSecret, AwsTestServer.RoleToken), AwsTestServer.Dependencies());
        using var output = new StringWriter();

        var exit = await CheckCommand.ConnectAsync(settings, output, CancellationToken.None);

        var text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.Contains("AWS credentials from: explicit keys on MongoClientSettings", text, StringComparison.Ordinal);
        Assert.Contains(AwsTestServer.RoleUser, text, StringComparison.Ordinal);
        Assert.DoesNotContain(AwsTestServer.RoleSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(AwsTestServer.RoleToken, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_names_the_environment_even_when_the_server_refuses_the_keys()
    {
        await using var server = await AwsTestServer.StartAsync();
        var environment = new FakeAwsEnvironment().With("AWS_ACCESS_KEY_ID", AwsTestServer.UserKey).With("AWS_SECRET_ACCESS_KEY", "wrong-secret-for-check");
        var settings = server.Settings(MongoCredential.CreateMongoAwsCredential(), AwsTestServer.Dependencies(environment));
        using var output = new StringWriter();

        var exit = await CheckCommand.ConnectAsync(settings, output, CancellationToken.None);

        var text = output.ToString();
        Assert.Equal(1, exit);
        Assert.Contains("AWS credentials from: environment variables", text, StringComparison.Ordinal);
        Assert.Contains("FAILED", text, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-for-check", text, StringComparison.Ordinal);
    }
}
