using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.Ldap;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Aws;
using MongoAuth.TestServer.Authentication.Gssapi;
using MongoAuth.TestServer.Authentication.Plain;
using MongoAuth.TestServer.Tls;

namespace MongoAuth.Cli.Commands;

/// <summary>
/// The in-process dev server of <c>check</c> (no URI) and <c>serve</c>: the test server on 127.0.0.1, with TLS (a
/// throwaway self-signed certificate for localhost made now, its PEM written to a temporary file for
/// <c>tlsCAFile</c>) unless <c>--no-tls</c>, and the users and mechanisms of <see cref="ServeOptions"/>; plus the
/// client settings that reach its first SCRAM user, and a ready connection string per mechanism.
/// </summary>
internal sealed class EmbeddedServer : IAsyncDisposable
{
    public const string DemoUser = "demo";

    private readonly MongoTestServer _server;
    private readonly X509Certificate2? _certificate;
    private readonly string? _directory;
    private readonly ServeOptions _options;
    private readonly DevOidcIdentities? _oidc;

    private EmbeddedServer(MongoTestServer server, X509Certificate2? certificate, string? directory, ServeOptions options, DevUser firstUser, DevOidcIdentities? oidc)
    {
        _server = server;
        _oidc = oidc;
        _certificate = certificate;
        _directory = directory;
        _options = options;
        FirstUser = firstUser;
        ClientSettings = new MongoClientSettings
        {
            Servers = [Address],
            UseTls = certificate is not null,
            Tls = certificate is null ? new MongoTlsSettings() : new MongoTlsSettings { TrustedRoots = [certificate] },
            Credential = MongoCredential.CreateScramSha256Credential("admin", firstUser.Name, firstUser.Password),
        };
    }

    public MongoServerAddress Address => new("localhost", _server.Port);

    /// <summary>The first SCRAM user: the first <c>--user</c>, or the generated demo user.</summary>
    public DevUser FirstUser { get; }

    /// <summary>The file holding the server's certificate (PEM), for <c>tlsCAFile</c>; null without TLS.</summary>
    public string? CaFile => _certificate is null || _directory is null ? null : Path.Combine(_directory, "dev-server-ca.pem");

    /// <summary>The OIDC issuer, token files and cloud identity stand-ins of <c>--oidc-user</c>; null without it.</summary>
    public DevOidcIdentities? Oidc => _oidc;

    /// <summary>Settings that reach the server as its first SCRAM user (SCRAM-SHA-256, the certificate as only root).</summary>
    public MongoClientSettings ClientSettings { get; }

    /// <summary>The demo server of <c>check</c> without a URI: TLS and one SCRAM user with a random password.</summary>
    public static Task<EmbeddedServer> StartAsync(CancellationToken cancellationToken) =>
        StartAsync(ServeOptions.Parse(["--port", "0", "--user", $"{DemoUser}:{RandomPassword()}"]), cancellationToken);

    /// <summary>A password for a generated demo user: printed once, lives as long as this process.</summary>
    public static string RandomPassword() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(9));

    /// <summary>Starts the server <paramref name="options"/> describe (with a demo user when they name no SCRAM user).</summary>
    /// <exception cref="ArgumentException">A file is unreadable, the port is taken, or Kerberos refuses the keytab.</exception>
    public static async Task<EmbeddedServer> StartAsync(ServeOptions options, CancellationToken cancellationToken)
    {
        var users = options.Users.Count > 0 ? options.Users : [new DevUser(DemoUser, RandomPassword(), [ServeOptions.DefaultRole])];
        var certificate = options.Tls ? SelfSignedCertificate.CreateForLoopback() : null;
        string? directory = null;
        try
        {
            X509Certificate2Collection? clientTrust = null;
            if (options.ClientCaFile is { } caFile)
            {
                clientTrust = [];
                clientTrust.ImportFromPemFile(caFile);
                if (clientTrust.Count == 0)
                {
                    throw new ArgumentException($"--tls-client-ca {caFile} holds no PEM certificate");
                }
            }
            if (options.Keytab is { } keytab)
            {
                KerberosKeytab.UseForAcceptor(keytab);
            }
            if (certificate is not null || options.OidcUsers.Count > 0)
            {
                directory = Directory.CreateTempSubdirectory("mongoauth-dev-").FullName;
            }
            if (certificate is not null && directory is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(directory, "dev-server-ca.pem"), certificate.ExportCertificatePem(), cancellationToken).ConfigureAwait(false);
            }
            MongoTestServer server;
            try
            {
                server = await MongoTestServer.StartAsync(new TestServerOptions
                {
                    Port = options.Port,
                    TlsCertificate = certificate,
                    ClientCertificates = clientTrust is null ? ClientCertificateMode.None : ClientCertificateMode.Required,
                    ClientCertificateTrust = clientTrust,
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new ArgumentException($"port {options.Port} is in use (a mongod?): pass --port with another port, or --port 0 for any free one", e);
            }
            DevOidcIdentities? oidc = null;
            try
            {
                AddUsers(server, options, users);
                if (options.OidcUsers.Count > 0)
                {
                    oidc = await DevOidcIdentities.StartAsync(server, options, directory!, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            return new EmbeddedServer(server, certificate, directory, options, users[0], oidc);
        }
        catch
        {
            certificate?.Dispose();
            if (directory is not null)
            {
                Directory.Delete(directory, recursive: true);
            }
            throw;
        }
    }

    private static void AddUsers(MongoTestServer server, ServeOptions options, IReadOnlyList<DevUser> users)
    {
        foreach (var user in users)
        {
            server.Users.AddScramUser("admin", user.Name, user.Password, user.Roles);
        }
        foreach (var subject in options.X509Users)
        {
            server.Users.AddExternalUser(subject, [ServeOptions.DefaultRole]);
        }
        if (options.PlainUsers.Count > 0)
        {
            var plain = new LocalPlainUsers();
            foreach (var (name, password) in options.PlainUsers)
            {
                plain.Add(name, password, roles: ServeOptions.DefaultRole);
            }
            server.RegisterMechanism(new PlainServerMechanism(plain));
        }
        if (options.UsesLdap)
        {
            var password = options.LdapBindPasswordVariable is { } variable
                ? Environment.GetEnvironmentVariable(variable) ?? throw new ArgumentException($"the environment variable {variable} (--ldap-bind-password-env) is not set")
                : null;
            var authorizer = new LdapAuthorizer(new LdapAuthorizationOptions
            {
                Servers = options.LdapServers,
                QueryUser = options.LdapBindUser,
                QueryPassword = password,
                QueryTemplate = LdapQueryTemplate.Parse(options.LdapQueryTemplate!),
                UserToDnMapping = UserToDnMapping.Parse(options.LdapUserToDnMapping ?? ""),
                TransportSecurity = options.LdapTls,
            });
            server.RegisterMechanism(new PlainServerMechanism(new LdapPlainUsers(authorizer, options.LdapRoles)));
        }
        if (options.GssapiUsers.Count > 0)
        {
            server.RegisterMechanism(new GssapiServerMechanism(
                options.GssapiUsers.Distinct(StringComparer.Ordinal).ToDictionary(p => p, _ => (IReadOnlyList<GrantedRole>)[ServeOptions.DefaultRole], StringComparer.Ordinal)));
        }
        if (options.AwsIdentities.Count > 0)
        {
            server.RegisterMechanism(new AwsServerMechanism(options.AwsIdentities));
        }
    }

    /// <summary>
    /// A ready connection string per user and mechanism, with <c>&lt;password&gt;</c> where a password goes (never
    /// the password itself) and <c>&lt;client.pem&gt;</c> where the client certificate file goes.
    /// </summary>
    public IEnumerable<(string What, string Uri)> ConnectionStrings(IReadOnlyList<DevUser> users)
    {
        var host = $"{Address.Host}:{Address.Port}";
        var tls = CaFile is null ? "" : $"&tls=true&tlsCAFile={EscapeValue(CaFile)}";
        var clientCertificate = _options.ClientCaFile is null ? "" : "&tlsCertificateKeyFile=<client.pem>";
        foreach (var user in users)
        {
            yield return ($"SCRAM user {user}", $"mongodb://{Uri.EscapeDataString(user.Name)}:<password>@{host}/?authSource=admin{tls}{clientCertificate}");
        }
        if (_options.X509Users.Count > 0)
        {
            yield return ($"MONGODB-X509 ({string.Join(", ", _options.X509Users)})", $"mongodb://{host}/?authMechanism=MONGODB-X509{tls}&tlsCertificateKeyFile=<client.pem>");
        }
        foreach (var (name, _) in _options.PlainUsers)
        {
            yield return ($"PLAIN user {name}", $"mongodb://{Uri.EscapeDataString(name)}:<password>@{host}/?authMechanism=PLAIN&authSource=$external{tls}{clientCertificate}");
        }
        if (_options.UsesLdap)
        {
            yield return ("PLAIN over LDAP (any directory user)", $"mongodb://<user>:<password>@{host}/?authMechanism=PLAIN&authSource=$external{tls}{clientCertificate}");
        }
        foreach (var principal in _options.GssapiUsers)
        {
            yield return ($"GSSAPI principal {principal} (after kinit)", $"mongodb://{Uri.EscapeDataString(principal)}@{host}/?authMechanism=GSSAPI&authSource=$external{tls}{clientCertificate}");
        }
        foreach (var identity in _options.AwsIdentities)
        {
            // A connection string never carries AWS keys (the specification forbids it): they come from the environment.
            var sessionToken = identity.SessionToken is null ? "" : " AWS_SESSION_TOKEN=<session token>";
            yield return ($"MONGODB-AWS identity {identity.Arn} as user {identity.UserName}; run the client with AWS_ACCESS_KEY_ID={identity.AccessKeyId} AWS_SECRET_ACCESS_KEY=<secret>{sessionToken}",
                $"mongodb://{host}/?authMechanism=MONGODB-AWS&authSource=$external{tls}{clientCertificate}");
        }
        if (_oidc is not null)
        {
            foreach (var line in _oidc.ConnectionStrings(host, tls + clientCertificate))
            {
                yield return line;
            }
        }
    }

    /// <summary>Percent-encodes what would end or break an option value (a path's slashes stay readable).</summary>
    private static string EscapeValue(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal).Replace("&", "%26", StringComparison.Ordinal)
            .Replace("#", "%23", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal).Replace("+", "%2B", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync().ConfigureAwait(false);
        if (_oidc is not null)
        {
            await _oidc.DisposeAsync().ConfigureAwait(false);
        }
        _certificate?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
