using System.Diagnostics;
using MongoAuth.TestServer;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer;

public sealed class StandaloneTests
{
    [Fact]
    public async Task The_standalone_server_serves_its_users_and_stops_when_stdin_closes()
    {
        using var child = StandaloneProcess.Start(["--port", "0", "--user", "admin:bob:pw:SCRAM-SHA-256", "--exit-on-stdin-close"]);
        var port = await child.ReadListeningPortAsync();
        using var client = new MongoDB.Driver.MongoClient($"mongodb://bob:pw@127.0.0.1:{port}/?directConnection=true&serverSelectionTimeoutMS=10000");

        var status = await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("connectionStatus", 1));
        child.Process.StandardInput.Close();

        Assert.Equal("bob", status["authInfo"]["authenticatedUsers"][0]["user"].AsString);
        Assert.Equal(0, await child.WaitForExitAsync());
    }

    [Fact]
    public async Task The_standalone_server_stops_on_SIGTERM()
    {
        using var child = StandaloneProcess.Start(["--port", "0", "--tls-self-signed"]);
        await child.ReadListeningPortAsync();
        using var kill = Process.Start("kill", ["-TERM", child.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();

        Assert.Equal(0, await child.WaitForExitAsync());
    }

    [Fact]
    public async Task Bad_arguments_exit_with_usage_and_code_2()
    {
        using var child = StandaloneProcess.Start(["--port", "not-a-port"]);

        var error = await child.Process.StandardError.ReadToEndAsync();

        Assert.Equal(2, await child.WaitForExitAsync());
        Assert.Contains("usage:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Arguments_parse_users_with_and_without_mechanisms()
    {
        var parsed = StandaloneArguments.Parse(
            ["--port", "27017", "--user", "admin:root:pw", "--user", "app:old:pw2:SCRAM-SHA-1", "--no-auth"]);

        Assert.Equal(27017, parsed.Port);
        Assert.False(parsed.RequireAuthentication);
        Assert.Equal(2, parsed.Users.Count);
        Assert.Null(parsed.Users[0].Mechanisms);
        Assert.Equal(["SCRAM-SHA-1"], parsed.Users[1].Mechanisms!);
        Assert.Equal(("app", "old"), (parsed.Users[1].Db, parsed.Users[1].Name));
    }

    [Theory]
    [InlineData("--port", "70000")]
    [InlineData("--user", "admin:only")]
    [InlineData("--user", ":name:pw")]
    [InlineData("--tls-self-signed", "--tls-pfx", "x.pfx")]
    [InlineData("--frobnicate")]
    [InlineData("--port")]
    [InlineData("--address", "localhost-ish")]
    public void Invalid_arguments_are_refused(params string[] arguments)
    {
        var error = Assert.Throws<ArgumentException>(() => StandaloneArguments.Parse(arguments));

        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }
}
