using System.Reflection;
using System.Security.Cryptography;
using MongoAuth.Benchmarks.Clients;
using MongoAuth.Benchmarks.Harness;
using MongoAuth.Benchmarks.Profiling;
using MongoAuth.Benchmarks.Report;
using MongoAuth.Benchmarks.Scenarios;
using MongoAuth.Benchmarks.Server;
using MongoAuth.TestServer.Pki;

namespace MongoAuth.Benchmarks;

/// <summary>
/// <c>MongoAuth.Benchmarks --server path/MongoAuth.TestServer.dll [--quick] [--out docs/performance.md] [--commit sha]</c>:
/// starts the test server (plain, TLS, one with data, then one per mechanism) as separate processes, runs every scenario for MongoAuth, MongoDB.Driver
/// and the raw-socket floor, interleaved, and writes the markdown report. Normally run through <c>./bench.sh</c>.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: MongoAuth.Benchmarks --server <MongoAuth.TestServer.dll> [--quick] [--out <file.md>] [--commit <sha>] [--profile-allocations] [--profile-crud] [--profile-cold-connect] [--only <row text>]";

    public static async Task<int> Main(string[] args)
    {
        if (!BenchArguments.TryParse(args, out var arguments, out var error))
        {
            await Console.Error.WriteLineAsync($"{error}\n{Usage}").ConfigureAwait(false);
            return 2;
        }

        var plan = (arguments.Quick ? BenchPlan.Quick : BenchPlan.Full) with { Only = arguments.Only };
        var started = DateTimeOffset.UtcNow;
        var machine = MachineDescription.Current();
        Console.WriteLine($"MongoAuth benchmarks, {plan.Mode} mode, {machine.Cores} cores, load {machine.LoadAverage}");

        // A throwaway SCRAM user: hex, so it needs no escaping in a URI; never printed.
        var credential = new BenchCredential("SCRAM-SHA-256", "admin", "bench", Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        string[] user = ["--user", $"{credential.Source}:{credential.User}:{credential.Password}"];
        using var stop = new CancellationTokenSource(arguments.Quick ? TimeSpan.FromMinutes(5) : TimeSpan.FromMinutes(25));
        var plain = await TestServerProcess.StartAsync(arguments.ServerDll, user, stop.Token).ConfigureAwait(false);
        await using (plain.ConfigureAwait(false))
        {
            var tls = await TestServerProcess.StartAsync(arguments.ServerDll, [.. user, "--tls-self-signed"], stop.Token).ConfigureAwait(false);
            await using (tls.ConfigureAwait(false))
            {
                IBenchClientFactory[] clients = [new MongoAuthClientFactory(), new OfficialDriverClientFactory(), new FloorClientFactory()];
                if (arguments.ProfileCrud)
                {
                    var crud = await TestServerProcess.StartAsync(arguments.ServerDll, [.. user, "--no-auth"], stop.Token).ConfigureAwait(false);
                    await using (crud.ConfigureAwait(false))
                    {
                        await CrudProfile.RunAsync([new MongoAuthCrudClientFactory(), new OfficialDriverCrudClientFactory()],
                            new BenchTarget(crud.EndPoint, false, credential), Console.Out, stop.Token).ConfigureAwait(false);
                    }

                    return 0;
                }

                if (arguments.ProfileAllocations)
                {
                    foreach (var useTls in Rows.TlsVariants)
                    {
                        await AllocationProfile.RunAsync(clients[0], new BenchTarget(useTls ? tls.EndPoint : plain.EndPoint, useTls, credential), Console.Out, stop.Token)
                            .ConfigureAwait(false);
                    }

                    return 0;
                }

                if (arguments.ProfileColdConnect)
                {
                    foreach (var useTls in Rows.TlsVariants)
                    {
                        await ColdConnectTimeline.RunAsync(new BenchTarget(useTls ? tls.EndPoint : plain.EndPoint, useTls, credential), Console.Out, stop.Token)
                            .ConfigureAwait(false);
                    }

                    return 0;
                }

                var book = new ResultBook();
                var runner = new ScenarioRunner(book, plan, clients, Console.Out);
                BenchTarget Target(bool useTls) => new(useTls ? tls.EndPoint : plain.EndPoint, useTls, credential);
                // The pool rows reach the TLS server by name, as applications reach their servers: the .NET runtime
                // resumes TLS sessions only for a host name, so later connections skip the certificate exchange (for all
                // three clients). Cold connect stays on the address: its one handshake is a full one either way.
                BenchTarget PoolTarget(bool useTls) => useTls ? Target(useTls) with { Host = Rows.TlsHostName } : Target(useTls);
                foreach (var useTls in Rows.TlsVariants)
                {
                    await runner.ColdConnectAsync(Rows.ColdConnect(useTls), Target(useTls), stop.Token).ConfigureAwait(false);
                }

                foreach (var useTls in Rows.TlsVariants)
                {
                    await runner.PoolFillAsync(Rows.PoolFill(useTls), PoolTarget(useTls), stop.Token).ConfigureAwait(false);
                }

                foreach (var useTls in Rows.TlsVariants)
                {
                    await runner.PoolWarmUpAsync(Rows.PoolWarmUp(useTls), PoolTarget(useTls), stop.Token).ConfigureAwait(false);
                }

                foreach (var useTls in Rows.TlsVariants)
                {
                    foreach (var workers in BenchPlan.SteadyWorkers)
                    {
                        await runner.SteadyStateAsync(Rows.Steady(useTls, workers), Target(useTls), workers, stop.Token).ConfigureAwait(false);
                    }
                }

                // The data rows: their own server, so their documents never slow the ping rows; --no-auth because a
                // standalone --user has no roles (connections still authenticate with the same SCRAM user).
                var data = await TestServerProcess.StartAsync(arguments.ServerDll, [.. user, "--no-auth"], stop.Token).ConfigureAwait(false);
                await using (data.ConfigureAwait(false))
                {
                    await runner.CrudAsync([new MongoAuthCrudClientFactory(), new OfficialDriverCrudClientFactory()],
                        new BenchTarget(data.EndPoint, false, credential), stop.Token).ConfigureAwait(false);
                }

                var notMeasured = await MeasureMechanismsAsync(arguments.ServerDll, runner, stop.Token).ConfigureAwait(false);
                var run = new RunInfo(plan, machine, started, arguments.Commit, DriverVersion(), notMeasured);
                var report = new MarkdownReport(book, run).Render();
                await File.WriteAllTextAsync(arguments.OutputPath, report, stop.Token).ConfigureAwait(false);
                Console.WriteLine($"wrote {arguments.OutputPath} in {DateTimeOffset.UtcNow - started:mm\\:ss}");
            }
        }

        return 0;
    }

    /// <summary>
    /// Cold connect with each mechanism of <see cref="Rows.Mechanisms"/>, one server process per mechanism (X.509 with a
    /// PKI generated now); returns the mechanisms not measured, with the reason.
    /// </summary>
    private static async Task<IReadOnlyList<(string, string)>> MeasureMechanismsAsync(string serverDll, ScenarioRunner runner,
        CancellationToken cancellationToken)
    {
        List<(string, string)> notMeasured = [];
        using var pki = TestPki.Create();
        var issuer = new MongoAuth.TestServer.Authentication.Oidc.TestOidcIssuer();
        await using var issuerScope = issuer.ConfigureAwait(false);
        foreach (var (mechanism, tls) in Rows.Mechanisms)
        {
            if (!runner.Includes(Rows.ColdConnect(tls, mechanism)))
            {
                continue;
            }

            var setup = mechanism switch
            {
                "MONGODB-X509" => MechanismSetup.X509(pki),
                "PLAIN" => MechanismSetup.Plain(),
                "GSSAPI" => MechanismSetup.Gssapi(Environment.GetEnvironmentVariable),
                Rows.AwsExplicitKeys => MechanismSetup.AwsExplicitKeys(),
                Rows.OidcFreshToken => MechanismSetup.Oidc(issuer, cached: false),
                Rows.OidcCachedToken => MechanismSetup.Oidc(issuer, cached: true),
                _ => throw new InvalidOperationException($"No cold-connect set-up for {mechanism}."),
            };
            if (setup.NotMeasured is { } reason)
            {
                Console.WriteLine($"== {mechanism}: {reason}");
                notMeasured.Add((mechanism, reason));
                continue;
            }

            TestServerProcess server;
            try
            {
                server = await TestServerProcess.StartAsync(serverDll, setup.ServerArguments, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                var why = $"not measured: the test server did not start ({e.Message.Split('\n')[0]})";
                Console.WriteLine($"== {mechanism}: {why}");
                notMeasured.Add((mechanism, why));
                continue;
            }

            await using (server.ConfigureAwait(false))
            {
                await runner.ColdConnectAsync(Rows.ColdConnect(tls, mechanism), setup.Target(server.EndPoint), cancellationToken).ConfigureAwait(false);
            }
        }

        return notMeasured;
    }

    private static string DriverVersion() =>
        typeof(MongoDB.Driver.MongoClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(MongoDB.Driver.MongoClient).Assembly.GetName().Version?.ToString() ?? "unknown";
}

/// <summary>The benchmark command line.</summary>
/// <param name="ServerDll">Path of the built MongoAuth.TestServer.dll.</param>
/// <param name="Quick">Quick mode.</param>
/// <param name="OutputPath">Where the markdown goes.</param>
/// <param name="Commit">The commit measured.</param>
internal sealed record BenchArguments(string ServerDll, bool Quick, string OutputPath, string Commit)
{
    /// <summary>Instead of the scenarios, print where a steady-state ping's allocations go (see <see cref="AllocationProfile"/>).</summary>
    public bool ProfileAllocations { get; init; }

    /// <summary>Instead of the scenarios, print where the CRUD rows' allocations go (see <see cref="CrudProfile"/>).</summary>
    public bool ProfileCrud { get; init; }

    /// <summary>Instead of the scenarios, print where a cold connect's time goes (see <see cref="ColdConnectTimeline"/>).</summary>
    public bool ProfileColdConnect { get; init; }

    /// <summary>Only the rows whose name contains this text (see <see cref="BenchPlan.Only"/>).</summary>
    public string? Only { get; init; }

    /// <summary>Parses the arguments; false with a message when they are wrong.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out BenchArguments arguments, out string error)
    {
        arguments = new BenchArguments("", false, "docs/performance.md", "unknown");
        error = "";
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--quick")
            {
                arguments = arguments with { Quick = true };
                continue;
            }

            if (name == "--profile-allocations")
            {
                arguments = arguments with { ProfileAllocations = true };
                continue;
            }

            if (name == "--profile-crud")
            {
                arguments = arguments with { ProfileCrud = true };
                continue;
            }

            if (name == "--profile-cold-connect")
            {
                arguments = arguments with { ProfileColdConnect = true };
                continue;
            }

            if (name is not ("--server" or "--out" or "--commit" or "--only"))
            {
                error = $"Unknown argument '{name}'.";
                return false;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value.";
                return false;
            }

            var value = args[++i];
            arguments = name switch
            {
                "--server" => arguments with { ServerDll = value },
                "--out" => arguments with { OutputPath = value },
                "--only" => arguments with { Only = value },
                _ => arguments with { Commit = value },
            };
        }

        if (arguments.ServerDll.Length == 0)
        {
            error = "--server is required.";
            return false;
        }

        return true;
    }
}
