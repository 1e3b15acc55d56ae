using System.Diagnostics;
using MongoDB.Bson;

namespace MongoAuth.Tests.Support;

/// <summary>
/// Runs a probe program (tests/MongoAuth.*.Probe) as a child process with an environment of its own, for cloud SDKs
/// that read their settings from the process environment: the variables under the given prefixes are removed, the
/// machine-wide AWS sources (shared files, instance metadata) are shut off, then the case's variables are set. This
/// process's environment never changes. The probe's last line of output is its JSON result.
/// </summary>
internal static class ProbeProcess
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>The path of <paramref name="project"/>'s dll, built beside this test assembly.</summary>
    public static string PathOf(string project)
    {
        var separator = Path.DirectorySeparatorChar;
        var probe = Path.Combine(
            AppContext.BaseDirectory.Replace($"{separator}MongoAuth.Tests{separator}", $"{separator}{project}{separator}", StringComparison.Ordinal),
            project + ".dll");
        Assert.True(File.Exists(probe), $"{probe} is missing: build the solution.");
        return probe;
    }

    /// <summary>Runs <paramref name="project"/> with <paramref name="arguments"/> and returns its last output line as a document.</summary>
    public static async Task<BsonDocument> RunAsync(string project, IEnumerable<string> arguments, IEnumerable<string> clearedPrefixes, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(PathOf(project));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => clearedPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            start.Environment.Remove(name);
        }

        // Nothing on this machine may take part: no shared AWS files, no real instance metadata.
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_CONFIG_FILE"] = "/nonexistent/aws-config";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var limit = new CancellationTokenSource(Limit);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"probe exited {process.ExitCode}: {output}\n{await stderr}");
        return BsonDocument.Parse(output.Trim().Split('\n')[^1]);
    }
}
