using MongoAuth.TestServer.Tls;
using MongoAuth.Tests.EndToEnd;
using MongoAuth.Tests.Ldap;
using MongoDB.Bson;
using Official = MongoDB.Driver;

namespace MongoAuth.Tests.Reference;

/// <summary>
/// The official MongoDB.Driver with PLAIN against the test server whose PLAIN is checked by a simple bind against the
/// real slapd and whose roles come from LDAP authorization ({USER}?memberOf?base, group DNs as admin role names).
/// </summary>
public sealed class PlainLdapReferenceTests
{
    private const string Plain = "authMechanism=PLAIN&authSource=$external";

    /// <summary>connectionStatus's users and roles as one document, for exact comparisons.</summary>
    internal static async Task<BsonDocument> AuthInfoAsync(Official.MongoClient client)
    {
        var status = await OfficialDriver.RunAsync(client, "connectionStatus");
        return status["authInfo"].AsBsonDocument;
    }

    internal static BsonDocument ExpectedAuthInfo(string user, params string[] groupRdns) => new()
    {
        { "authenticatedUsers", new BsonArray { new BsonDocument { { "user", user }, { "db", "$external" } } } },
        { "authenticatedUserRoles", new BsonArray(groupRdns.Select(g => new BsonDocument { { "role", LdapBackend.Group(g) }, { "db", "admin" } })) },
    };

    private static Official.MongoClient Connect(PlainLdapServer server, string user, string password, bool tls = false) =>
        OfficialDriver.Connect(server.Server, $"{user}:{Uri.EscapeDataString(password)}", Plain, tls);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_official_driver_authenticates_against_slapd_and_sees_the_user_and_its_ldap_roles(bool tls)
    {
        await using var server = await PlainLdapServer.StartAsync(tls ? SelfSignedCertificate.CreateForLoopback() : null);
        using var client = Connect(server, "alice", LdapBackend.Password("alice"), tls);

        var ping = await OfficialDriver.RunAsync(client, "ping");
        var authInfo = await AuthInfoAsync(client);

        Assert.Equal(1.0, ping["ok"].ToDouble());
        Assert.Equal(ExpectedAuthInfo("alice", "cn=readers", "cn=admins"), authInfo);
        Assert.Contains("authenticated as 'uid=alice,", server.Log.All, StringComparison.Ordinal);
        Assert.DoesNotContain(LdapBackend.Password("alice"), server.Log.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Group_dns_with_escaped_characters_reach_the_official_driver_as_roles()
    {
        await using var server = await PlainLdapServer.StartAsync();
        using var client = Connect(server, "jsmith", LdapBackend.Password("jsmith"));

        var authInfo = await AuthInfoAsync(client);

        var roles = authInfo["authenticatedUserRoles"].AsBsonArray.Select(r => r["role"].AsString).ToList();
        Assert.Contains(LdapBackend.Group("cn=R\\+D"), roles);
        Assert.Contains(LdapBackend.Group("cn=\\\"Quoted\\\" Team"), roles);
    }

    [Fact]
    public async Task A_wrong_password_fails_and_is_never_echoed()
    {
        const string wrong = "not-alices-password-42";
        await using var server = await PlainLdapServer.StartAsync();
        using var client = Connect(server, "alice", wrong);

        var error = await Assert.ThrowsAsync<Official.MongoAuthenticationException>(() => OfficialDriver.RunAsync(client, "ping"));

        Assert.Contains("PLAIN", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("rejected the bind", server.Log.All, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, server.Log.All, StringComparison.Ordinal);
        Assert.Equal(0, server.Server.Statistics.CommandsReceived("ping"));
    }

    [Fact]
    public async Task An_unknown_user_fails()
    {
        await using var server = await PlainLdapServer.StartAsync();
        using var client = Connect(server, "nobody", "some-password");

        await Assert.ThrowsAsync<Official.MongoAuthenticationException>(() => OfficialDriver.RunAsync(client, "ping"));

        Assert.Contains("'nobody'", server.Log.All, StringComparison.Ordinal);
        Assert.Equal(0, server.Server.Statistics.CommandsReceived("ping"));
    }

    [Fact]
    public async Task Slapd_down_fails_on_the_client_and_the_server_log_says_the_ldap_server_could_not_be_reached()
    {
        var closed = LdapBackend.ClosedServer();
        await using var server = await PlainLdapServer.StartAsync(ldapServers: [closed]);
        using var client = Connect(server, "alice", "any-password");

        var error = await Assert.ThrowsAsync<Official.MongoAuthenticationException>(() => OfficialDriver.RunAsync(client, "ping"));

        Assert.Contains("PLAIN", error.Message, StringComparison.Ordinal);
        Assert.Contains("Authentication failed", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("could not be reached", server.Log.All, StringComparison.Ordinal);
        Assert.Contains(closed, server.Log.All, StringComparison.Ordinal);
    }
}
