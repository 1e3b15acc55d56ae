using System.Diagnostics;
using System.Net;
using MongoAuth.TestServer;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer;

public sealed class StandaloneTests
{
    /// <summary>Upper bound for the child process to start or stop, so a hang fails the test instead of blocking it.</summary>
    private static readonly TimeSpan ProcessLimit = TimeSpan.FromSeconds(60);

    private static ChildProcess StartServerProcess(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MongoAuth.TestServer.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException("The test server process did not start."));
    }

    private static async Task<int> ReadListeningPortAsync(Process process)
    {
        using var limit = new CancellationTokenSource(ProcessLimit);
        var line = await process.StandardOutput.ReadLineAsync(limit.Token);
        Assert.NotNull(line);
        Assert.StartsWith("listening 127.0.0.1:", line, StringComparison.Ordinal);
        return IPEndPoint.Parse(line["listening ".Length..]).Port;
    }

    private static async Task<int> WaitForExitAsync(Process process)
    {
        using var limit = new CancellationTokenSource(ProcessLimit);
        await process.WaitForExitAsync(limit.Token);
        return process.ExitCode;
    }

    [Fact]
    public async Task The_standalone_server_serves_its_users_and_stops_when_stdin_closes()
    {
        using var child = StartServerProcess("--port", "0", "--user", "admin:bob:pw:SCRAM-SHA-256", "--exit-on-stdin-close");
        var port = await ReadListeningPortAsync(child.Process);
        using var client = new MongoDB.Driver.MongoClient($"mongodb://bob:pw@127.0.0.1:{port}/?directConnection=true&serverSelectionTimeoutMS=10000");

        var status = await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("connectionStatus", 1));
        child.Process.StandardInput.Close();

        Assert.Equal("bob", status["authInfo"]["authenticatedUsers"][0]["user"].AsString);
        Assert.Equal(0, await WaitForExitAsync(child.Process));
    }

    [Fact]
    public async Task The_standalone_server_stops_on_SIGTERM()
    {
        using var child = StartServerProcess("--port", "0", "--tls-self-signed");
        await ReadListeningPortAsync(child.Process);
        using var kill = Process.Start("kill", ["-TERM", child.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();

        Assert.Equal(0, await WaitForExitAsync(child.Process));
    }

    [Fact]
    public async Task Bad_arguments_exit_with_usage_and_code_2()
    {
        using var child = StartServerProcess("--port", "not-a-port");

        var error = await child.Process.StandardError.ReadToEndAsync();

        Assert.Equal(2, await WaitForExitAsync(child.Process));
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

    /// <summary>Kills the child if a test left it running, so no server outlives its test.</summary>
    private sealed class ChildProcess(Process process) : IDisposable
    {
        public Process Process => process;

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }
    }
}
