using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.TestServer.Tls;

namespace MongoAuth.TestServer;

/// <summary>A SCRAM user of the standalone server: <c>--user db:name:password[:MECH,MECH]</c>.</summary>
/// <param name="Db">The user's database.</param>
/// <param name="Name">The user name.</param>
/// <param name="Password">The password (never printed).</param>
/// <param name="Mechanisms">The SCRAM mechanisms to store credentials for; null = both.</param>
internal sealed record ScramUserArgument(string Db, string Name, string Password, IReadOnlyList<string>? Mechanisms)
{
    /// <summary>Describes the user without the password.</summary>
    public override string ToString() => $"{Name}@{Db}";
}

/// <summary>A PLAIN user of <c>$external</c> kept in memory: <c>--plain-user name:password</c>.</summary>
/// <param name="Name">The user name.</param>
/// <param name="Password">The password (never printed).</param>
internal sealed record PlainUserArgument(string Name, string Password)
{
    /// <summary>Describes the user without the password.</summary>
    public override string ToString() => Name;
}

/// <summary>The parsed command line of the standalone server (see <see cref="Program"/> for the options).</summary>
internal sealed class StandaloneArguments
{
    public IPAddress Address { get; private set; } = IPAddress.Loopback;

    public int Port { get; private set; }

    public string? PfxPath { get; private set; }

    public string? PfxPassword { get; private set; }

    public bool SelfSigned { get; private set; }

    /// <summary>PEM files of the CAs a client certificate must chain to; any makes a client certificate required.</summary>
    public List<string> ClientCaFiles { get; } = [];

    public List<ScramUserArgument> Users { get; } = [];

    /// <summary><c>$external</c> users for MONGODB-X509, named by their RFC 2253 subjects.</summary>
    public List<string> ExternalUsers { get; } = [];

    public List<PlainUserArgument> PlainUsers { get; } = [];

    /// <summary>Kerberos principals (with realm) let in by GSSAPI; the service keys come from <c>KRB5_KTNAME</c>.</summary>
    public List<string> GssapiUsers { get; } = [];

    /// <summary>MONGODB-AWS identities: <c>--aws-identity AKID:SECRET[:TOKEN]:ARN</c>.</summary>
    public List<Authentication.Aws.AwsIdentity> AwsIdentities { get; } = [];

    /// <summary>MONGODB-OIDC: the issuer whose tokens are accepted (<c>--oidc-issuer URL</c>; its key set is fetched from it).</summary>
    public string? OidcIssuer { get; private set; }

    /// <summary>MONGODB-OIDC: the audience tokens must carry (<c>--oidc-audience</c>).</summary>
    public string OidcAudience { get; private set; } = Authentication.Oidc.TestOidcIssuer.DefaultAudience;

    public bool RequireAuthentication { get; private set; } = true;

    public bool ExitOnStdinClose { get; private set; }

    /// <summary>Whether TLS is configured (a certificate file or a self-signed one).</summary>
    public bool Tls => SelfSigned || PfxPath is not null;

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> (never quoting a password) when they are wrong.</summary>
    public static StandaloneArguments Parse(string[] args)
    {
        var result = new StandaloneArguments();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--address": result.Address = ParseAddress(Value()); break;
                case "--port": result.Port = ParsePort(Value()); break;
                case "--tls-pfx": result.PfxPath = Value(); break;
                case "--tls-password": result.PfxPassword = Value(); break;
                case "--tls-self-signed": result.SelfSigned = true; break;
                case "--tls-client-ca": result.ClientCaFiles.Add(Value()); break;
                case "--no-auth": result.RequireAuthentication = false; break;
                case "--exit-on-stdin-close": result.ExitOnStdinClose = true; break;
                case "--user": result.Users.Add(ParseScramUser(Value())); break;
                case "--external-user": result.ExternalUsers.Add(NonEmpty(name, Value())); break;
                case "--plain-user": result.PlainUsers.Add(ParsePlainUser(Value())); break;
                case "--gssapi-user": result.GssapiUsers.Add(ParsePrincipal(Value())); break;
                case "--aws-identity": result.AwsIdentities.Add(ParseAwsIdentity(Value())); break;
                case "--oidc-issuer": result.OidcIssuer = NonEmpty(name, Value()); break;
                case "--oidc-audience": result.OidcAudience = NonEmpty(name, Value()); break;
                default: throw new ArgumentException($"Unknown argument '{name}'.");
            }
        }

        if (result.SelfSigned && result.PfxPath is not null)
        {
            throw new ArgumentException("Use either --tls-pfx or --tls-self-signed, not both.");
        }

        if (result.ClientCaFiles.Count > 0 && !result.Tls)
        {
            throw new ArgumentException("--tls-client-ca needs TLS (--tls-pfx or --tls-self-signed).");
        }

        return result;
    }

    /// <summary>
    /// The server certificate (self-signed, or the key-holding certificate of the PKCS#12 file) and the other
    /// certificates of that file, sent with it as intermediates; null without TLS.
    /// </summary>
    public (X509Certificate2 Certificate, X509Certificate2Collection Intermediates)? LoadCertificate()
    {
        if (SelfSigned)
        {
            return (SelfSignedCertificate.CreateForLoopback(), []);
        }

        if (PfxPath is null)
        {
            return null;
        }

        var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(PfxPath, PfxPassword);
        var leaf = all.FirstOrDefault(c => c.HasPrivateKey)
            ?? throw new ArgumentException($"{PfxPath} holds no certificate with a private key.");
        X509Certificate2Collection intermediates = [.. all.Where(c => !ReferenceEquals(c, leaf))];
        return (leaf, intermediates);
    }

    /// <summary>The certificates of every <c>--tls-client-ca</c> file; null when none was given.</summary>
    public X509Certificate2Collection? LoadClientTrust()
    {
        if (ClientCaFiles.Count == 0)
        {
            return null;
        }

        var trust = new X509Certificate2Collection();
        foreach (var file in ClientCaFiles)
        {
            var before = trust.Count;
            trust.ImportFromPemFile(file);
            if (trust.Count == before)
            {
                throw new ArgumentException($"--tls-client-ca {file} holds no PEM certificate.");
            }
        }

        return trust;
    }

    private static IPAddress ParseAddress(string text) =>
        IPAddress.TryParse(text, out var address) ? address : throw new ArgumentException($"'{text}' is not an IP address.");

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new ArgumentException($"'{text}' is not a port number.");

    private static string NonEmpty(string option, string value) =>
        value.Length > 0 ? value : throw new ArgumentException($"{option} needs a non-empty value.");

    private static ScramUserArgument ParseScramUser(string spec)
    {
        // db:name:password[:MECH,MECH]; the password may not contain ':' in this form.
        var parts = spec.Split(':');
        if (parts.Length is < 3 or > 4 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new ArgumentException("--user takes db:name:password[:MECH,MECH].");
        }

        return new ScramUserArgument(parts[0], parts[1], parts[2], parts.Length == 4 ? parts[3].Split(',') : null);
    }

    private static PlainUserArgument ParsePlainUser(string spec)
    {
        // name:password; the name ends at the first ':', so the password may contain ':'.
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new ArgumentException("--plain-user takes name:password.");
        }

        return new PlainUserArgument(spec[..colon], spec[(colon + 1)..]);
    }

    private static string ParsePrincipal(string principal)
    {
        var at = principal.LastIndexOf('@');
        if (at <= 0 || at == principal.Length - 1)
        {
            throw new ArgumentException($"--gssapi-user takes a Kerberos principal with its realm (user@REALM), not '{principal}'.");
        }

        return principal;
    }

    private static Authentication.Aws.AwsIdentity ParseAwsIdentity(string spec)
    {
        try
        {
            return Authentication.Aws.AwsIdentity.Parse(spec);
        }
        catch (FormatException)
        {
            throw new ArgumentException("--aws-identity takes AKID:SECRET[:SESSION_TOKEN]:ARN (the ARN starts with arn:).");
        }
    }
}
