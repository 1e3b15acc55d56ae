using System.Diagnostics;
using MongoAuth.Connections;
using MongoDB.Bson;

namespace MongoAuth.Cli.Commands;

/// <summary>
/// <c>mongoauth check [uri]</c>: parses the connection string (or starts the embedded dev server), then connects and
/// authenticates, printing every step with its time and, at the end, who the connection is authenticated as.
/// Connection-string warnings are printed before connecting; a failure is followed by hints for the common
/// misconfigurations (<see cref="CheckHints"/>). Secrets never reach the output: settings are printed through their
/// redacting <c>ToString</c> methods, and MONGODB-AWS / MONGODB-OIDC say where their secret came from, never the
/// secret (<see cref="CredentialSourceWatch"/>).
/// </summary>
internal static class CheckCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        switch (args.Count)
        {
            case 0:
                var embedded = await EmbeddedServer.StartAsync(cancellationToken).ConfigureAwait(false);
                await using (embedded.ConfigureAwait(false))
                {
                    Step(output, "server", watch, $"embedded dev server on {embedded.ClientSettings.Servers[0]} (TLS, user '{EmbeddedServer.DemoUser}')");
                    return await ConnectAsync(embedded.ClientSettings, output, cancellationToken).ConfigureAwait(false);
                }
            case 1:
                ConnectionStrings.ConnectionString parsed;
                try
                {
                    parsed = ConnectionStrings.ConnectionString.Parse(args[0]);
                }
                catch (MongoConfigurationException e)
                {
                    await output.WriteLineAsync($"FAILED  parse: {e.Message}").ConfigureAwait(false);
                    return 2;
                }
                var settings = parsed.Settings;
                Step(output, "parse", watch, $"{settings.Servers.Count} server(s): {string.Join(", ", settings.Servers)}");
                foreach (var warning in parsed.Warnings)
                {
                    // Never silent: a misspelled option (tlss=true) would otherwise leave its setting at the default.
                    await output.WriteLineAsync($"WARNING {warning.Message}").ConfigureAwait(false);
                }
                return await ConnectAsync(settings, output, cancellationToken, parsed.OptionNames.Contains("authSource")).ConfigureAwait(false);
            default:
                await output.WriteLineAsync("check takes at most one argument, the connection string").ConfigureAwait(false);
                return 2;
        }
    }

    internal static async Task<int> ConnectAsync(MongoClientSettings settings, TextWriter output, CancellationToken cancellationToken, bool authSourceGiven = true)
    {
        await output.WriteLineAsync(settings.Credential is { } credential
            ? $"        credential: {credential}"
            : "        no credential: connecting without authentication").ConfigureAwait(false);
        var sources = new CredentialSourceWatch(ref settings);
        var observer = new StepPrinter(output);
        MongoClient? client = null;
        try
        {
#pragma warning disable CA2000 // Disposed in the finally block with DisposeAsync, which the analyzer does not follow.
            client = new MongoClient(settings, observer);
#pragma warning restore CA2000
            await client.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1), cancellationToken).ConfigureAwait(false);
            Step(output, "command", observer.SinceLastStep, "ping answered");
            await TopologyPrinter.PrintAsync(client, output, TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
            var status = await client.GetConnectionStatusAsync(cancellationToken).ConfigureAwait(false);
            await sources.PrintAsync(output).ConfigureAwait(false);
            await output.WriteLineAsync($"OK      authenticated as {status}").ConfigureAwait(false);
            return 0;
        }
        catch (MongoConfigurationException e) when (client is null)
        {
            await output.WriteLineAsync($"FAILED  client: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (MongoException e)
        {
            await sources.PrintAsync(output).ConfigureAwait(false);
            await output.WriteLineAsync($"FAILED  after step '{observer.LastStep ?? "none"}': {e.Message}").ConfigureAwait(false);
            foreach (var hint in CheckHints.For(e, settings, authSourceGiven, observer.LastStep))
            {
                await output.WriteLineAsync($"HINT    {hint}").ConfigureAwait(false);
            }
            return 1;
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void Step(TextWriter output, string name, Stopwatch watch, string detail)
    {
        output.WriteLine($"{name,-7} {watch.Elapsed.TotalMilliseconds,8:F1} ms  {detail}");
        watch.Restart();
    }

    /// <summary>Prints the connection factory's steps as they complete.</summary>
    private sealed class StepPrinter(TextWriter output) : IConnectionObserver
    {
        public string? LastStep { get; private set; }

        /// <summary>Time since the last connection step completed (or since the printer was made).</summary>
        public Stopwatch SinceLastStep { get; } = Stopwatch.StartNew();

        public void OnStepCompleted(MongoServerAddress server, ConnectionStep step, TimeSpan duration, string detail)
        {
            LastStep = step switch
            {
                ConnectionStep.TcpConnect => "tcp",
                ConnectionStep.TlsHandshake => "tls",
                ConnectionStep.Hello => "hello",
                _ => "auth",
            };
            output.WriteLine($"{LastStep,-7} {duration.TotalMilliseconds,8:F1} ms  {detail}");
            SinceLastStep.Restart();
        }
    }
}
