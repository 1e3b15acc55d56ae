using System.Globalization;
using System.Runtime.InteropServices;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Gssapi;
using MongoAuth.TestServer.Authentication.Plain;

namespace MongoAuth.TestServer;

/// <summary>
/// Standalone entry point for benchmarks and scripts:
/// <c>MongoAuth.TestServer [--address 127.0.0.1] [--port 0] [--tls-pfx file [--tls-password p] | --tls-self-signed]
/// [--tls-client-ca ca.pem]… [--user db:name:password[:MECH,MECH]]… [--external-user subject]…
/// [--plain-user name:password]… [--gssapi-user user@REALM]… [--aws-identity AKID:SECRET[:TOKEN]:ARN]…
/// [--oidc-issuer URL [--oidc-audience AUD]] [--no-auth] [--exit-on-stdin-close]</c>.
/// <c>--tls-client-ca</c> requires client certificates chaining to those CAs (mongod's <c>--tlsCAFile</c>);
/// <c>--external-user</c> adds a MONGODB-X509 user by RFC 2253 subject; <c>--plain-user</c> adds an in-memory PLAIN
/// user of <c>$external</c>; <c>--gssapi-user</c> lets a Kerberos principal in through GSSAPI, with the service keys of
/// the keytab named by <c>KRB5_KTNAME</c>; <c>--aws-identity</c> lets an AWS key in through MONGODB-AWS as the
/// <c>$external</c> user named by its simplified ARN; <c>--oidc-issuer</c> accepts MONGODB-OIDC tokens of that issuer
/// (key set from its discovery document) for the audience (default <c>api://mongoauth-test</c>), the user being the
/// <c>sub</c> claim (add it with <c>--external-user</c> for roles). Prints one line <c>listening &lt;address&gt;:&lt;port&gt;</c> when ready
/// and stops on SIGTERM, SIGINT or (when asked) stdin close.
/// </summary>
public static class Program
{
    private const string Usage =
        "usage: MongoAuth.TestServer [--address ip] [--port n] [--tls-pfx file [--tls-password p] | --tls-self-signed] " +
        "[--tls-client-ca ca.pem]... [--user db:name:password[:MECH,MECH]]... [--external-user subject]... " +
        "[--plain-user name:password]... [--gssapi-user user@REALM]... [--aws-identity AKID:SECRET[:TOKEN]:ARN]... " +
        "[--oidc-issuer URL [--oidc-audience AUD]] [--no-auth] [--exit-on-stdin-close]";

    /// <summary>Runs the test server until stopped; returns 2 on bad arguments.</summary>
    public static async Task<int> Main(string[] args)
    {
        StandaloneArguments arguments;
        TestServerOptions options;
        try
        {
            arguments = StandaloneArguments.Parse(args);
            options = CreateOptions(arguments);
        }
        catch (Exception e) when (e is ArgumentException or IOException or System.Security.Cryptography.CryptographicException)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n{Usage}").ConfigureAwait(false);
            return 2;
        }

        using var certificate = options.TlsCertificate;
        var server = await MongoTestServer.StartAsync(options, CancellationToken.None).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            AddUsers(server, arguments);
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

    /// <summary>The server options the arguments ask for; certificate files are read here, so a bad one is a usage error.</summary>
    internal static TestServerOptions CreateOptions(StandaloneArguments arguments)
    {
        if (arguments.GssapiUsers.Count > 0 && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KRB5_KTNAME")))
        {
            throw new ArgumentException(
                "--gssapi-user needs the service keytab in KRB5_KTNAME (and KRB5_CONFIG for the realm), set before the server starts.");
        }

        var tls = arguments.LoadCertificate();
        var clientTrust = arguments.LoadClientTrust();
        return new TestServerOptions
        {
            Address = arguments.Address,
            Port = arguments.Port,
            TlsCertificate = tls?.Certificate,
            TlsIntermediates = tls?.Intermediates,
            ClientCertificates = clientTrust is null ? ClientCertificateMode.None : ClientCertificateMode.Required,
            ClientCertificateTrust = clientTrust,
            RequireAuthentication = arguments.RequireAuthentication,
        };
    }

    /// <summary>Adds the SCRAM and X.509 users and registers PLAIN, GSSAPI and MONGODB-AWS for theirs.</summary>
    internal static void AddUsers(MongoTestServer server, StandaloneArguments arguments)
    {
        foreach (var user in arguments.Users)
        {
            server.Users.AddScramUser(user.Db, user.Name, user.Password, mechanisms: user.Mechanisms);
        }

        foreach (var subject in arguments.ExternalUsers)
        {
            server.Users.AddExternalUser(subject);
        }

        if (arguments.PlainUsers.Count > 0)
        {
            var plain = new LocalPlainUsers();
            foreach (var user in arguments.PlainUsers)
            {
                plain.Add(user.Name, user.Password);
            }

            server.RegisterMechanism(new PlainServerMechanism(plain));
        }

        if (arguments.GssapiUsers.Count > 0)
        {
            server.RegisterMechanism(new GssapiServerMechanism(
                arguments.GssapiUsers.Distinct(StringComparer.Ordinal).ToDictionary(p => p, _ => (IReadOnlyList<GrantedRole>)[], StringComparer.Ordinal)));
        }

        if (arguments.AwsIdentities.Count > 0)
        {
            server.RegisterMechanism(new Authentication.Aws.AwsServerMechanism(arguments.AwsIdentities));
        }

        if (arguments.OidcIssuer is { } issuer)
        {
            // Lives as long as the process (the standalone server never unregisters a mechanism).
#pragma warning disable CA2000
            server.RegisterMechanism(new Authentication.Oidc.OidcServerMechanism(
                new Authentication.Oidc.OidcServerOptions { Issuer = issuer, Audience = arguments.OidcAudience }, server.Users));
#pragma warning restore CA2000
        }
    }
}
