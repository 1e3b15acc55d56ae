using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace MongoAuth.Benchmarks.Server;

/// <summary>
/// The test server running as a separate process (<c>dotnet MongoAuth.TestServer.dll --port 0 …</c>), so its CPU
/// and allocations stay out of the benchmark process. Ready when it prints <c>listening &lt;ip&gt;:&lt;port&gt;</c>;
/// stopped by closing its standard input (<c>--exit-on-stdin-close</c>), killed if it does not exit in time.
/// </summary>
internal sealed class TestServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;

    private TestServerProcess(Process process, IPEndPoint endPoint)
    {
        _process = process;
        EndPoint = endPoint;
    }

    /// <summary>Where the server listens.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>
    /// Starts the server from <paramref name="serverDll"/> with <paramref name="arguments"/> (secrets among them are
    /// never echoed) and waits until it listens. Throws with the server's last stderr lines when it fails.
    /// </summary>
    public static async Task<TestServerProcess> StartAsync(string serverDll, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        if (!File.Exists(serverDll))
        {
            throw new FileNotFoundException($"The test server was not found at {serverDll}; build it in Release first (./bench.sh does).");
        }

        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(serverDll);
        foreach (var argument in arguments.Append("--exit-on-stdin-close"))
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("dotnet did not start the test server.");
        // stderr is drained from the start, so the server never blocks on a full pipe; the last lines explain a failure.
        var errors = new Queue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                if (e.Data is { } line && errors.Count < 50)
                {
                    errors.Enqueue(line);
                }
            }
        };
        process.BeginErrorReadLine();
        try
        {
            return new TestServerProcess(process, await ReadEndPointAsync(process, errors, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
            throw;
        }
    }

    /// <summary>Stops the server: stdin closed, then a kill of the process tree if it has not exited in time.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(StopTimeout);
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static async Task<IPEndPoint> ReadEndPointAsync(Process process, Queue<string> errors, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
            {
                if (ParseListeningLine(line) is { } endPoint)
                {
                    // Keep draining stdout so the server never blocks on a full pipe.
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                    return endPoint;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The test server did not print 'listening' within {StartTimeout.TotalSeconds} s.");
        }

        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false); // also waits for stderr to be read
        string said;
        lock (errors)
        {
            said = string.Join('\n', errors);
        }

        throw new InvalidOperationException($"The test server exited with code {process.ExitCode} before listening: {said}");
    }

    /// <summary>Parses <c>listening 127.0.0.1:12345</c> (or <c>listening ::1:12345</c>); null for other lines.</summary>
    internal static IPEndPoint? ParseListeningLine(string line)
    {
        const string Prefix = "listening ";
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var text = line[Prefix.Length..].Trim();
        var colon = text.LastIndexOf(':');
        return colon > 0
            && IPAddress.TryParse(text[..colon].Trim('[', ']'), out var address)
            && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535
                ? new IPEndPoint(address, port)
                : null;
    }
}
