using System.Diagnostics;

namespace MongoAuth.Tests.Data;

/// <summary>samples/Crud, as built with the solution, runs against the test server and prints what its README promises.</summary>
public sealed class CrudSampleTests
{
    [Fact]
    public async Task The_Crud_sample_round_trips_against_the_test_server()
    {
        await using var server = await DataServer.StartAsync();
        var sample = FindSample();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(sample);
        start.ArgumentList.Add($"mongodb://alice:correct%20horse@127.0.0.1:{server.Port}/?authSource=admin");
        using var process = Process.Start(start)!;
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        await process.WaitForExitAsync(limit.Token);
        var output = await stdout;

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{output}\n{await stderr}");
        Assert.Contains("oldest two over 40: Grace (85), Edsger (72)", output, StringComparison.Ordinal);
        Assert.Contains("birthday for coders: matched 2, modified 2", output, StringComparison.Ordinal);
        Assert.Contains("people per tag: code=2, math=2, navy=1", output, StringComparison.Ordinal);
        Assert.Contains("duplicate refused: code 11000", output, StringComparison.Ordinal);
        Assert.Contains("bulk: inserted 1, modified 1, deleted 1", output, StringComparison.Ordinal);
        Assert.Contains("4 people; removed 2 over 80", output, StringComparison.Ordinal);
        Assert.Equal(0, server.OpenCursorCount);
    }

    /// <summary>samples/Crud/bin/&lt;configuration&gt;/net10.0/Crud.dll, the configuration this test assembly was built in.</summary>
    private static string FindSample()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        for (var directory = framework; directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "samples", "Crud", "bin", configuration, framework.Name, "Crud.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"samples/Crud was not built ({configuration}); build the solution first.");
    }
}
