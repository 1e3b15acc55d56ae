using System.Security.Cryptography.X509Certificates;
using MongoAuth.Ldap;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication.Plain;
using MongoAuth.Tests.Ldap;

namespace MongoAuth.Tests.EndToEnd;

/// <summary>
/// The test server with PLAIN backed by the real slapd (LdapPlainUsers): users log in by uid, the mapping looks their
/// DN up, <c>{USER}?memberOf?base</c> finds their groups, and <see cref="LdapBackend.AdminRoles"/> are the roles on
/// admin. <see cref="Log"/> holds what the server explains about each authentication.
/// </summary>
internal sealed class PlainLdapServer : IAsyncDisposable
{
    private PlainLdapServer(MongoTestServer server, CapturingLogger log)
    {
        Server = server;
        Log = log;
    }

    public MongoTestServer Server { get; }

    public CapturingLogger Log { get; }

    public int Port => Server.Port;

    /// <summary>Starts the server; <paramref name="ldapServers"/> replaces the running slapd (e.g. a closed port).</summary>
    public static async Task<PlainLdapServer> StartAsync(X509Certificate2? tlsCertificate = null, IReadOnlyList<string>? ldapServers = null)
    {
        var log = new CapturingLogger();
        var users = new LdapPlainUsers(new LdapAuthorizer(LdapBackend.Options(servers: ldapServers)), LdapBackend.AdminRoles, log);
        var server = await MongoTestServer.StartAsync(new TestServerOptions { TlsCertificate = tlsCertificate }, default);
        server.RegisterMechanism(new PlainServerMechanism(users));
        return new PlainLdapServer(server, log);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
