using System.Diagnostics;
using System.Net;

namespace MongoAuth.Tests.TestServer;

/// <summary>
/// <c>MongoAuth.TestServer.dll</c> started as a child process with the given arguments (and environment changes);
/// <see cref="Dispose"/> kills it if the test left it running, so no server outlives its test.
/// </summary>
internal sealed class StandaloneProcess : IDisposable
{
    /// <summary>Upper bound for the child process to start or stop, so a hang fails the test instead of blocking it.</summary>
    private static readonly TimeSpan ProcessLimit = TimeSpan.FromSeconds(60);

    private StandaloneProcess(Process process) => Process = process;

    public Process Process { get; }

    /// <summary>Starts the server; <paramref name="removeVariables"/> are left out of its environment.</summary>
    public static StandaloneProcess Start(string[] arguments, params string[] removeVariables)
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

        foreach (var variable in removeVariables)
        {
            start.Environment.Remove(variable);
        }

        return new StandaloneProcess(Process.Start(start) ?? throw new InvalidOperationException("The test server process did not start."));
    }

    /// <summary>Reads the <c>listening 127.0.0.1:port</c> line; fails with the server's stderr when it does not come.</summary>
    public async Task<int> ReadListeningPortAsync()
    {
        using var limit = new CancellationTokenSource(ProcessLimit);
        var line = await Process.StandardOutput.ReadLineAsync(limit.Token);
        Assert.True(line is not null, $"The server printed no 'listening' line; stderr: {(Process.HasExited ? await Process.StandardError.ReadToEndAsync() : "(still running)")}");
        Assert.StartsWith("listening 127.0.0.1:", line, StringComparison.Ordinal);
        return IPEndPoint.Parse(line["listening ".Length..]).Port;
    }

    /// <summary>Waits for the exit (bounded) and returns the exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var limit = new CancellationTokenSource(ProcessLimit);
        await Process.WaitForExitAsync(limit.Token);
        return Process.ExitCode;
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
        }

        Process.Dispose();
    }
}
