using System.Globalization;
using MongoAuth.Ldap;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Aws;
using MongoAuth.TestServer.Authentication.Oidc;

namespace MongoAuth.Cli.Commands;

/// <summary>A SCRAM user of the dev server: <c>--user NAME:PASSWORD[:ROLE@DB[,ROLE@DB]…]</c> (defined on admin).</summary>
internal sealed record DevUser(string Name, string Password, IReadOnlyList<GrantedRole> Roles)
{
    /// <summary>Without the password.</summary>
    public override string ToString() => $"{Name} ({string.Join(", ", Roles.Select(r => $"{r.Role}@{r.Db}"))})";
}

/// <summary>
/// The command line of <c>mongoauth serve</c>. Each option is one row of <see cref="Table"/> (name, value name, help,
/// how it applies), so an option is added in one place and the usage text follows. Errors never quote a password.
/// </summary>
internal sealed class ServeOptions
{
    public static readonly GrantedRole DefaultRole = new("root", "admin");

    private sealed record Option(string Name, string? Value, string Help, Action<ServeOptions, string> Apply);

    private static readonly Option[] Table =
    [
        new("--port", "N", "port on 127.0.0.1 (default 27017; 0 picks a free one)", (o, v) => (o.Port, o.PortGiven) = (ParsePort(v), true)),
        new("--no-tls", null, "plain TCP (default: TLS with a throwaway self-signed certificate for localhost)", (o, _) => o.Tls = false),
        new("--user", "NAME:PASSWORD[:ROLE@DB,...]", "a SCRAM-SHA-1/256 user on admin (repeatable; default role root@admin)", (o, v) => o.Users.Add(ParseUser(v))),
        new("--tls-client-ca", "FILE", "MONGODB-X509: require client certificates chaining to the CA(s) in this PEM file", (o, v) => o.ClientCaFile = Existing("--tls-client-ca", v)),
        new("--x509-user", "SUBJECT", "MONGODB-X509: a $external user named by its RFC 2253 subject (repeatable; role root@admin)", (o, v) => o.X509Users.Add(NonEmpty("--x509-user", v))),
        new("--plain-user", "NAME:PASSWORD", "PLAIN: a $external user kept in memory (repeatable)", (o, v) => o.PlainUsers.Add(ParsePlainUser(v))),
        new("--ldap-servers", "HOST[:PORT],...", "PLAIN over LDAP: check passwords by binding to these servers (as mongod's security.ldap.servers)", (o, v) => o.LdapServers = [.. v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]),
        new("--ldap-query-template", "URL", "PLAIN over LDAP: security.ldap.authz.queryTemplate, e.g. '{USER}?memberOf?base'", (o, v) => o.LdapQueryTemplate = v),
        new("--ldap-user-to-dn-mapping", "JSON", "PLAIN over LDAP: security.ldap.userToDNMapping", (o, v) => o.LdapUserToDnMapping = v),
        new("--ldap-bind-user", "DN", "PLAIN over LDAP: the DN the server queries as", (o, v) => o.LdapBindUser = v),
        new("--ldap-bind-password-env", "VAR", "PLAIN over LDAP: read that DN's password from this environment variable", (o, v) => o.LdapBindPasswordVariable = v),
        new("--ldap-tls", "none|starttls|ldaps", "PLAIN over LDAP: transport security to the LDAP servers (default none)", (o, v) => o.LdapTls = ParseLdapTls(v)),
        new("--ldap-role", "ROLE", "PLAIN over LDAP: a role on admin; a group DN equal to it grants it (repeatable)", (o, v) => o.LdapRoles.Add(v)),
        new("--keytab", "FILE", "GSSAPI: the service keytab (mongodb/localhost@REALM); KRB5_CONFIG must name the realm", (o, v) => o.Keytab = Existing("--keytab", v)),
        new("--gssapi-user", "PRINCIPAL", "GSSAPI: a Kerberos principal (user@REALM) let in (repeatable; role root@admin)", (o, v) => o.GssapiUsers.Add(ParsePrincipal(v))),
        new("--aws-identity", "AKID:SECRET[:SESSION_TOKEN]:ARN", "MONGODB-AWS: an identity the server checks signatures for, as STS would (repeatable; role root@admin)", (o, v) => o.AwsIdentities.Add(ParseAwsIdentity(v))),
        new("--oidc-user", "NAME", "MONGODB-OIDC: start an in-process issuer and let in this subject (repeatable; role root@admin); writes a token file for ENVIRONMENT:test and serves Azure/Google identity endpoints on loopback", (o, v) => o.OidcUsers.Add(NonEmpty("--oidc-user", v))),
        new("--oidc-audience", "AUDIENCE", $"MONGODB-OIDC: the audience tokens must carry (default {TestOidcIssuer.DefaultAudience})", (o, v) => o.OidcAudience = NonEmpty("--oidc-audience", v)),
        new("--oidc-token-lifetime", "SECONDS", "MONGODB-OIDC: lifetime of the tokens the issuer mints (default 3600; token files are rewritten at half of it)", (o, v) => o.OidcTokenLifetime = ParseLifetime(v)),
        new("--replica-set", "NAME", "a replica set of --members servers on free ports sharing one store, instead of one server (SCRAM users only)", (o, v) => o.ReplicaSetName = NonEmpty("--replica-set", v)),
        new("--members", "N", "with --replica-set: how many members (1-50, default 3)", (o, v) => o.Members = ParseMembers(v)),
    ];

    public int Port { get; private set; } = 27017;

    public bool Tls { get; private set; } = true;

    public List<DevUser> Users { get; } = [];

    public string? ClientCaFile { get; private set; }

    public List<string> X509Users { get; } = [];

    public List<(string Name, string Password)> PlainUsers { get; } = [];

    public IReadOnlyList<string> LdapServers { get; private set; } = [];

    public string? LdapQueryTemplate { get; private set; }

    public string? LdapUserToDnMapping { get; private set; }

    public string? LdapBindUser { get; private set; }

    public string? LdapBindPasswordVariable { get; private set; }

    public LdapTransportSecurity LdapTls { get; private set; } = LdapTransportSecurity.None;

    public List<string> LdapRoles { get; } = [];

    public string? Keytab { get; private set; }

    public List<string> GssapiUsers { get; } = [];

    public List<AwsIdentity> AwsIdentities { get; } = [];

    public List<string> OidcUsers { get; } = [];

    public string OidcAudience { get; private set; } = TestOidcIssuer.DefaultAudience;

    public TimeSpan OidcTokenLifetime { get; private set; } = TimeSpan.FromHours(1);

    /// <summary>The replica set's name; null for a single server.</summary>
    public string? ReplicaSetName { get; private set; }

    /// <summary>The replica set's member count (<c>--members</c>); null when not given.</summary>
    public int? Members { get; private set; }

    /// <summary>Whether a port was given (a replica set picks free ports itself).</summary>
    public bool PortGiven { get; private set; }

    /// <summary>Whether PLAIN is checked against LDAP.</summary>
    public bool UsesLdap => LdapServers.Count > 0;

    /// <summary>The option lines of the usage text, from the table.</summary>
    public static string Help => string.Join(Environment.NewLine, Table.Select(o =>
        $"  {(o.Value is null ? o.Name : $"{o.Name} {o.Value}"),-44} {o.Help}"));

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> naming the option (never a password).</summary>
    public static ServeOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ServeOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var option = Table.FirstOrDefault(o => o.Name == args[i]) ?? throw new ArgumentException($"unknown option '{args[i]}'");
            var value = option.Value is null ? string.Empty
                : i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{option.Name} needs a value ({option.Value})");
            option.Apply(options, value);
        }
        options.Check();
        return options;
    }

    private void Check()
    {
        if (ClientCaFile is not null && !Tls)
        {
            throw new ArgumentException("--tls-client-ca needs TLS: drop --no-tls");
        }
        if (X509Users.Count > 0 && ClientCaFile is null)
        {
            throw new ArgumentException("--x509-user needs --tls-client-ca (the CA client certificates must chain to)");
        }
        if (UsesLdap && PlainUsers.Count > 0)
        {
            throw new ArgumentException("PLAIN checks passwords either in memory (--plain-user) or against LDAP (--ldap-servers), not both");
        }
        if (UsesLdap != (LdapQueryTemplate is not null))
        {
            throw new ArgumentException("--ldap-servers and --ldap-query-template go together");
        }
        if ((Keytab is null) != (GssapiUsers.Count == 0))
        {
            throw new ArgumentException("--keytab and --gssapi-user go together");
        }
        if (OidcUsers.Count == 0 && (OidcAudience != TestOidcIssuer.DefaultAudience || OidcTokenLifetime != TimeSpan.FromHours(1)))
        {
            throw new ArgumentException("--oidc-audience and --oidc-token-lifetime need --oidc-user");
        }
        if (Members is not null && ReplicaSetName is null)
        {
            throw new ArgumentException("--members needs --replica-set");
        }
        if (ReplicaSetName is not null)
        {
            // The replica set is the topology demo: SCRAM users, TLS or not; the other mechanisms live on the single server.
            var single = new (bool Given, string Option)[]
            {
                (PortGiven, "--port"), (ClientCaFile is not null, "--tls-client-ca"), (PlainUsers.Count > 0 || UsesLdap, "PLAIN"),
                (Keytab is not null, "--keytab"), (AwsIdentities.Count > 0, "--aws-identity"), (OidcUsers.Count > 0, "--oidc-user"),
            }.Where(o => o.Given).Select(o => o.Option).ToList();
            if (single.Count > 0)
            {
                throw new ArgumentException($"--replica-set takes --members, --no-tls and --user only; {string.Join(", ", single)} apply to a single server");
            }
        }
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new ArgumentException($"--port must be a number from 0 to 65535, not '{text}'");

    /// <summary>
    /// <c>NAME:PASSWORD[:ROLE@DB,...]</c>: the name ends at the first colon; the text after the last colon is the roles
    /// when every comma-separated part of it is ROLE@DB, otherwise part of the password (which may hold colons).
    /// </summary>
    internal static DevUser ParseUser(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            throw new ArgumentException("--user takes NAME:PASSWORD[:ROLE@DB,...] with a non-empty name and password");
        }
        var name = text[..colon];
        var rest = text[(colon + 1)..];
        var last = rest.LastIndexOf(':');
        if (last > 0 && TryParseRoles(rest[(last + 1)..], out var roles))
        {
            return new DevUser(name, rest[..last], roles);
        }
        return new DevUser(name, rest, [DefaultRole]);
    }

    private static bool TryParseRoles(string text, out IReadOnlyList<GrantedRole> roles)
    {
        var parsed = new List<GrantedRole>();
        foreach (var part in text.Split(','))
        {
            var at = part.IndexOf('@', StringComparison.Ordinal);
            if (at <= 0 || at == part.Length - 1 || part.IndexOf('@', at + 1) >= 0)
            {
                roles = [];
                return false;
            }
            parsed.Add(new GrantedRole(part[..at], part[(at + 1)..]));
        }
        roles = parsed;
        return parsed.Count > 0;
    }

    private static (string, string) ParsePlainUser(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < text.Length - 1
            ? (text[..colon], text[(colon + 1)..])
            : throw new ArgumentException("--plain-user takes NAME:PASSWORD with a non-empty name and password");
    }

    private static string ParsePrincipal(string text) =>
        text.IndexOf('@', StringComparison.Ordinal) > 0 && !text.EndsWith('@')
            ? text
            : throw new ArgumentException($"--gssapi-user takes a principal with its realm (user@REALM), not '{text}'");

    private static int ParseMembers(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= 50
            ? count
            : throw new ArgumentException($"--members must be a number from 1 to 50, not '{text}'");

    private static TimeSpan ParseLifetime(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 10 and <= 7 * 24 * 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"--oidc-token-lifetime must be a number of seconds from 10 to 604800, not '{text}'");

    private static AwsIdentity ParseAwsIdentity(string text)
    {
        try
        {
            return AwsIdentity.Parse(text) with { Roles = [DefaultRole] };
        }
        catch (FormatException e)
        {
            // The message names the shape, never the text (it holds the secret).
            throw new ArgumentException($"--aws-identity: {e.Message}", e);
        }
    }

    private static LdapTransportSecurity ParseLdapTls(string text) => text switch
    {
        "none" => LdapTransportSecurity.None,
        "starttls" => LdapTransportSecurity.StartTls,
        "ldaps" => LdapTransportSecurity.Ldaps,
        _ => throw new ArgumentException("--ldap-tls must be none, starttls or ldaps"),
    };

    private static string Existing(string option, string path) =>
        File.Exists(path) ? Path.GetFullPath(path) : throw new ArgumentException($"{option}: no file '{path}'");

    private static string NonEmpty(string option, string value) =>
        value.Length > 0 ? value : throw new ArgumentException($"{option} needs a non-empty value");
}
