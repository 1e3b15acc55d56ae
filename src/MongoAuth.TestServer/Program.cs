using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.TestServer.Tls;

namespace MongoAuth.TestServer;

/// <summary>
/// Standalone entry point for benchmarks and scripts:
/// <c>MongoAuth.TestServer [--address 127.0.0.1] [--port 0] [--tls-pfx file [--tls-password p] | --tls-self-signed]
/// [--user db:name:password[:MECH,MECH]]… [--no-auth] [--exit-on-stdin-close]</c>. Prints one line
/// <c>listening &lt;address&gt;:&lt;port&gt;</c> when ready and stops on SIGTERM, SIGINT or (when asked) stdin close.
/// </summary>
public static class Program
{
    private const string Usage =
        "usage: MongoAuth.TestServer [--address ip] [--port n] [--tls-pfx file [--tls-password p] | --tls-self-signed] " +
        "[--user db:name:password[:MECH,MECH]]... [--no-auth] [--exit-on-stdin-close]";

    /// <summary>Runs the test server until stopped; returns 2 on bad arguments.</summary>
    public static async Task<int> Main(string[] args)
    {
        StandaloneArguments arguments;
        try
        {
            arguments = StandaloneArguments.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n{Usage}").ConfigureAwait(false);
            return 2;
        }

        using var certificate = arguments.LoadCertificate();
        var server = await MongoTestServer.StartAsync(new TestServerOptions
        {
            Address = arguments.Address,
            Port = arguments.Port,
            TlsCertificate = certificate,
            RequireAuthentication = arguments.RequireAuthentication,
        }, CancellationToken.None).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            foreach (var user in arguments.Users)
            {
                server.Users.AddScramUser(user.Db, user.Name, user.Password, mechanisms: user.Mechanisms);
            }

            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
            if (arguments.ExitOnStdinClose)
            {
                _ = Task.Run(async () =>
                {
                    using var stdin = Console.OpenStandardInput();
                    var buffer = new byte[256];
                    while (await stdin.ReadAsync(buffer).ConfigureAwait(false) > 0)
                    {
                    }

                    stop.TrySetResult();
                });
            }

            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"listening {server.EndPoint.Address}:{server.Port}"));
            await Console.Out.FlushAsync().ConfigureAwait(false);
            await stop.Task.ConfigureAwait(false);
        }

        return 0;
    }
}

/// <summary>The parsed command line of the standalone server.</summary>
internal sealed record StandaloneArguments(IPAddress Address, int Port, string? PfxPath, string? PfxPassword,
    bool SelfSigned, IReadOnlyList<(string Db, string Name, string Password, IReadOnlyList<string>? Mechanisms)> Users,
    bool RequireAuthentication, bool ExitOnStdinClose)
{
    public static StandaloneArguments Parse(string[] args)
    {
        var result = new StandaloneArguments(IPAddress.Loopback, 0, null, null, false, [], true, false);
        var users = new List<(string, string, string, IReadOnlyList<string>?)>();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            result = args[i] switch
            {
                "--address" => result with { Address = ParseAddress(Value()) },
                "--port" => result with { Port = ParsePort(Value()) },
                "--tls-pfx" => result with { PfxPath = Value() },
                "--tls-password" => result with { PfxPassword = Value() },
                "--tls-self-signed" => result with { SelfSigned = true },
                "--no-auth" => result with { RequireAuthentication = false },
                "--exit-on-stdin-close" => result with { ExitOnStdinClose = true },
                "--user" => AddUser(result, users, Value()),
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }

        if (result.SelfSigned && result.PfxPath is not null)
        {
            throw new ArgumentException("Use either --tls-pfx or --tls-self-signed, not both.");
        }

        return result with { Users = users };
    }

    public X509Certificate2? LoadCertificate() =>
        SelfSigned ? SelfSignedCertificate.CreateForLoopback()
        : PfxPath is null ? null
        : X509CertificateLoader.LoadPkcs12FromFile(PfxPath, PfxPassword);

    private static IPAddress ParseAddress(string text) =>
        IPAddress.TryParse(text, out var address) ? address : throw new ArgumentException($"'{text}' is not an IP address.");

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new ArgumentException($"'{text}' is not a port number.");

    private static StandaloneArguments AddUser(StandaloneArguments result,
        List<(string, string, string, IReadOnlyList<string>?)> users, string spec)
    {
        // db:name:password[:MECH,MECH]; the password may not contain ':' in this form.
        var parts = spec.Split(':');
        if (parts.Length is < 3 or > 4 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new ArgumentException("--user takes db:name:password[:MECH,MECH].");
        }

        users.Add((parts[0], parts[1], parts[2], parts.Length == 4 ? parts[3].Split(',') : null));
        return result;
    }
}
