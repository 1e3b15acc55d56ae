using MongoAuth.Tests.Ldap;
using MongoAuth.Tests.Reference;
using MongoDB.Bson;

using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.EndToEnd;

/// <summary>
/// Our MongoClient with PLAIN (a built-in) against the test server backed by the real slapd: the identity and LDAP
/// roles it sees (the same as the official driver's), and each failure the issue lists.
/// </summary>
public sealed class PlainLdapEndToEndTests
{
    internal static string Uri(string host, int port, string user, string password, string options = "") =>
        $"mongodb://{System.Uri.EscapeDataString(user)}:{System.Uri.EscapeDataString(password)}@{host}:{port}/" +
        $"?authMechanism=PLAIN&authSource=$external&serverSelectionTimeoutMS=10000{options}";

    private static MongoClient Connect(PlainLdapServer server, string user, string password) =>
        new(Uri("127.0.0.1", server.Port, user, password));

    /// <summary>Our connectionStatus in the shape of the server's authInfo, to compare with the official driver's.</summary>
    private static BsonDocument AsAuthInfo(MongoConnectionStatus status) => new()
    {
        { "authenticatedUsers", new BsonArray(status.AuthenticatedUsers.Select(u => new BsonDocument { { "user", u.User }, { "db", u.Database } })) },
        { "authenticatedUserRoles", new BsonArray(status.AuthenticatedUserRoles.Select(r => new BsonDocument { { "role", r.Role }, { "db", r.Database } })) },
    };

    private static async Task<MongoAuthenticationException> PingFailsAsync(Mode mode, PlainLdapServer server, string user, string password)
    {
        await using var client = Connect(server, user, password);
        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.GetDatabase("admin").RunCommandIn(mode, new BsonDocument("ping", 1)));
        Assert.Equal("PLAIN", error.Mechanism);
        Assert.Equal(18, error.ServerErrorCode);
        Assert.Contains($"'{user}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'$external'", error.Message, StringComparison.Ordinal);
        Assert.Contains("LDAP directory", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(password, server.Log.All, StringComparison.Ordinal);
        Assert.Equal(0, server.Server.Statistics.CommandsReceived("ping"));
        return error;
    }

    [Theory]
    [InlineData(Mode.Sync, "alice", new[] { "cn=readers", "cn=admins" })]
    [InlineData(Mode.Async, "alice", new[] { "cn=readers", "cn=admins" })]
    [InlineData(Mode.Sync, "jsmith", new[] { "cn=readers", "cn=R\\+D", "cn=\\\"Quoted\\\" Team" })] // group DNs that need escaping
    [InlineData(Mode.Async, "jsmith", new[] { "cn=readers", "cn=R\\+D", "cn=\\\"Quoted\\\" Team" })] // group DNs that need escaping
    [InlineData(Mode.Sync, "dave", new string[0])] // authenticated, with no roles: no role is named after dave's group
    [InlineData(Mode.Async, "dave", new string[0])] // authenticated, with no roles: no role is named after dave's group
    public async Task Our_client_sees_the_same_user_and_ldap_roles_as_the_official_driver(Mode mode, string user, string[] groups)
    {
        await using var server = await PlainLdapServer.StartAsync();
        await using var ours = Connect(server, user, LdapBackend.Password(user));
        using var official = PlainLdapReferenceTests.Connect(server, user, LdapBackend.Password(user));

        var ourAuthInfo = AsAuthInfo(await ours.GetConnectionStatusIn(mode));
        var officialAuthInfo = await PlainLdapReferenceTests.AuthInfoAsync(official);

        Assert.Equal(officialAuthInfo, ourAuthInfo);
        Assert.Equal(PlainLdapReferenceTests.ExpectedAuthInfo(user, groups), ourAuthInfo);
    }

    [Theory]
    [InlineData(Mode.Sync, "alice", "not-alices-password-42")]
    [InlineData(Mode.Async, "alice", "not-alices-password-42")]
    [InlineData(Mode.Sync, "nobody", "some-password-7")]
    [InlineData(Mode.Async, "nobody", "some-password-7")]
    public async Task A_wrong_password_or_unknown_user_fails_with_18_naming_mechanism_user_and_source_but_not_the_password(Mode mode, string user, string password)
    {
        await using var server = await PlainLdapServer.StartAsync();

        await PingFailsAsync(mode, server, user, password);

        Assert.Contains($"user '{user}' failed: the LDAP server rejected the bind", server.Log.All, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task Ldap_down_fails_with_18_on_the_client_and_the_server_log_names_the_unreachable_ldap_server(Mode mode)
    {
        var closed = LdapBackend.ClosedServer();
        await using var server = await PlainLdapServer.StartAsync(ldapServers: [closed]);

        var error = await PingFailsAsync(mode, server, "alice", "any-password");

        Assert.Contains("Authentication failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("could not be reached", server.Log.All, StringComparison.Ordinal);
        Assert.Contains(closed, server.Log.All, StringComparison.Ordinal);
    }
}
