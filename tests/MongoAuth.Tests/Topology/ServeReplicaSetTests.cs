using MongoAuth.Cli.Commands;

namespace MongoAuth.Tests.Topology;

/// <summary><c>mongoauth serve --replica-set</c> prints a ready line, and <c>mongoauth check</c> on it prints the topology.</summary>
public sealed class ServeReplicaSetTests
{
    [Fact]
    public async Task Serve_prints_a_ready_line_and_check_prints_the_discovered_set()
    {
        var served = new StringWriter();
        var output = TextWriter.Synchronized(served);
        using var stop = new CancellationTokenSource();
        var serving = ServeCommand.RunAsync(["--replica-set", "dev", "--members", "3", "--no-tls", "--user", "app:app-pw"], output, stop.Token);
        string? line = null;
        for (var i = 0; i < 200 && line is null; i++)
        {
            await Task.Delay(25);
            line = served.ToString().Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("mongodb://", StringComparison.Ordinal));
        }

        Assert.NotNull(line);
        Assert.StartsWith("mongodb://app:<password>@127.0.0.1:", line);
        Assert.EndsWith("/?replicaSet=dev", line);
        Assert.DoesNotContain("app-pw", served.ToString(), StringComparison.Ordinal);

        var checkOutput = new StringWriter();
        var exit = await CheckCommand.RunAsync([line.Replace("<password>", "app-pw", StringComparison.Ordinal)], checkOutput, default);
        var report = checkOutput.ToString();

        Assert.True(exit == 0, report);
        Assert.Contains("topology ReplicaSetWithPrimary, set 'dev'", report);
        Assert.Single(report.Split('\n'), l => l.TrimStart().StartsWith("primary ", StringComparison.Ordinal));
        Assert.Equal(2, report.Split('\n').Count(l => l.TrimStart().StartsWith("secondary ", StringComparison.Ordinal) && l.Contains("rtt ", StringComparison.Ordinal)));
        Assert.Contains("OK      authenticated as", report);

        await stop.CancelAsync();
        Assert.Equal(0, await serving);
    }

    [Fact]
    public async Task Serve_refuses_a_bad_member_count()
    {
        var output = new StringWriter();

        Assert.Equal(2, await ServeCommand.RunAsync(["--replica-set", "dev", "--members", "0"], output, default));
        Assert.Contains("--members must be a number from 1 to 50", output.ToString());
        Assert.Contains("--replica-set NAME", output.ToString()); // the usage text follows, from the one option table
    }
}
