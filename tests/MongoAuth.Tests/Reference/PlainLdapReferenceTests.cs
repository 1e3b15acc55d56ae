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

    internal static Official.MongoClient Connect(PlainLdapServer server, string user, string password, bool tls = false) =>
        OfficialDriver.Connect(server.Server, $"{user}:{Uri.EscapeDataString(password)}", Plain, tls);

    [Theory]
    [InlineData("alice", false, new[] { "cn=readers", "cn=admins" })]
    [InlineData("alice", true, new[] { "cn=readers", "cn=admins" })]
    [InlineData("jsmith", false, new[] { "cn=readers", "cn=R\\+D", "cn=\\\"Quoted\\\" Team" })] // group DNs that need escaping
    [InlineData("dave", false, new string[0])] // in a group that no role is named after
    public async Task The_official_driver_authenticates_against_slapd_and_sees_the_user_and_its_ldap_roles(string user, bool tls, string[] groups)
    {
        await using var server = await PlainLdapServer.StartAsync(tls ? SelfSignedCertificate.CreateForLoopback() : null);
        using var client = Connect(server, user, LdapBackend.Password(user), tls);

        var ping = await OfficialDriver.RunAsync(client, "ping");
        var authInfo = await AuthInfoAsync(client);

        Assert.Equal(1.0, ping["ok"].ToDouble());
        Assert.Equal(ExpectedAuthInfo(user, groups), authInfo);
        Assert.Contains($"PLAIN user '{user}' authenticated as", server.Log.All, StringComparison.Ordinal);
        Assert.DoesNotContain(LdapBackend.Password(user), server.Log.All, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice", "not-alices-password-42")]
    [InlineData("nobody", "some-password-7")]
    public async Task A_wrong_password_or_unknown_user_fails_and_the_password_is_never_echoed(string user, string password)
    {
        await using var server = await PlainLdapServer.StartAsync();
        using var client = Connect(server, user, password);

        var error = await Assert.ThrowsAsync<Official.MongoAuthenticationException>(() => OfficialDriver.RunAsync(client, "ping"));

        Assert.Contains("PLAIN", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, error.ToString(), StringComparison.Ordinal);
        Assert.Contains($"user '{user}' failed: the LDAP server rejected the bind", server.Log.All, StringComparison.Ordinal);
        Assert.DoesNotContain(password, server.Log.All, StringComparison.Ordinal);
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
