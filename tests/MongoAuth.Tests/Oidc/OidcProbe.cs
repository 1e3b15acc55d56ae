using System.Diagnostics;
using System.Globalization;
using MongoDB.Bson;

namespace MongoAuth.Tests.Oidc;

/// <summary>
/// Runs tests/MongoAuth.Oidc.Probe as a child process with an environment of its own: every cloud and token-file
/// variable of this process is removed, then the case's variables are set, so Azure.Identity, Google.Apis.Auth and
/// ENVIRONMENT:test see only what the test chose, and this process's environment never changes. Nothing on the machine
/// may take part: no shared AWS files, no instance metadata (the SDKs' own loopback settings are the only endpoints).
/// </summary>
internal static class OidcProbe
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    // Variables Azure.Identity/MSAL, Google.Apis.Auth, the AWS SDK and our ENVIRONMENT:test/k8s read.
    private static readonly string[] CloudPrefixes = ["AZURE_", "IDENTITY_", "MSI_", "IMDS_", "GCE_", "GOOGLE_", "CLOUDSDK_", "OIDC_", "AWS_"];

    /// <summary>Runs one case and returns the probe's JSON line (outcome per mode: the user name, or {error, message}).</summary>
    public static async Task<BsonDocument> RunAsync(string kind, int port, string? audience, IReadOnlyDictionary<string, string> environment)
    {
        var probe = Path.Combine(AppContext.BaseDirectory.Replace($"{Path.DirectorySeparatorChar}MongoAuth.Tests{Path.DirectorySeparatorChar}", $"{Path.DirectorySeparatorChar}MongoAuth.Oidc.Probe{Path.DirectorySeparatorChar}", StringComparison.Ordinal),
            "MongoAuth.Oidc.Probe.dll");
        Assert.True(File.Exists(probe), $"{probe} is missing: build the solution.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add(kind);
        start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        if (audience is not null)
        {
            start.ArgumentList.Add(audience);
        }
        foreach (var name in start.Environment.Keys.Where(k => CloudPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            start.Environment.Remove(name);
        }
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

    /// <summary>Asserts that each named outcome authenticated as <paramref name="user"/>.</summary>
    public static void AssertUser(BsonDocument outcome, string user, params string[] modes)
    {
        foreach (var mode in modes)
        {
            Assert.True(outcome[mode] == user, $"{mode}: {outcome}");
        }
    }
}
