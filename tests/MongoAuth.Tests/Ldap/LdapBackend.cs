using System.Net;
using System.Net.Sockets;
using MongoAuth.Ldap;

namespace MongoAuth.Tests.Ldap;

/// <summary>
/// The slapd started by tests/backends/slapd/start.sh, read from the MONGOAUTH_LDAP_* variables of slapd.env.
/// Tests that use it fail (never skip) with a clear message when the backend was not started.
/// </summary>
internal static class LdapBackend
{
    public static string Server => Get("MONGOAUTH_LDAP_HOST") + ":" + Get("MONGOAUTH_LDAP_PORT");
    /// <summary>The ldaps listener; its certificate is signed by a CA the test process trusts via LDAPTLS_CACERT.</summary>
    public static string LdapsServer => Get("MONGOAUTH_LDAP_HOST") + ":" + Get("MONGOAUTH_LDAP_LDAPS_PORT");
    public static string BaseDn => Get("MONGOAUTH_LDAP_BASE_DN");
    public static string BindDn => Get("MONGOAUTH_LDAP_BIND_DN");
    public static string BindPassword => Get("MONGOAUTH_LDAP_BIND_PASSWORD");
    public static string UsersDn => "ou=users," + BaseDn;
    public static string GroupsDn => "ou=groups," + BaseDn;

    /// <summary>The password start.sh generated for one of its users (alice, bob, jsmith, dave, carol).</summary>
    public static string Password(string user) => Get($"MONGOAUTH_LDAP_{user.ToUpperInvariant()}_PASSWORD");

    public static string Group(string rdn) => rdn + "," + GroupsDn;

    /// <summary>Users log in by uid; the mapping looks their DN up (jsmith's DN needs RFC 4514 escaping).</summary>
    public static string UidLookupMapping => $"[{{match: \"(.+)\", ldapQuery: \"{UsersDn}??one?(uid={{0}})\"}}]";

    /// <summary>The admin roles the tests define: three plain groups and two that need escaping.</summary>
    public static string[] AdminRoles =>
    [
        Group("cn=readers"), Group("cn=admins"), Group("cn=R\\+D"), Group("cn=\\\"Quoted\\\" Team"), "readWriteAnyDatabase",
    ];

    public static LdapAuthorizationOptions Options(string template = "{USER}?memberOf?base", string? mapping = null,
        IReadOnlyList<string>? servers = null, string? bindPassword = null,
        LdapTransportSecurity security = LdapTransportSecurity.None) => new()
        {
            TransportSecurity = security,
            Servers = servers ?? [Server],
            QueryUser = BindDn,
            QueryPassword = bindPassword ?? BindPassword,
            QueryTemplate = LdapQueryTemplate.Parse(template),
            UserToDnMapping = UserToDnMapping.Parse(mapping ?? UidLookupMapping),
        };

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    public static string ClosedServer()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return "127.0.0.1:" + port;
    }

    /// <summary>Makes sure libldap trusts the test CA: it reads LDAPTLS_CACERT only at process start.</summary>
    public static void RequireTrustedCa() => Get("LDAPTLS_CACERT");

    private static string Get(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: this test needs the slapd backend. Run ./test.sh, or tests/backends/slapd/start.sh <dir> " +
                "and '. <dir>/slapd.env' before dotnet test.");
}
