using System.Globalization;
using MongoAuth.Ldap;
using MongoAuth.TestServer.Authentication;

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
        new("--port", "N", "port on 127.0.0.1 (default 27017; 0 picks a free one)", (o, v) => o.Port = ParsePort(v)),
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
