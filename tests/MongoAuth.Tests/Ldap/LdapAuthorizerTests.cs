using System.DirectoryServices.Protocols;
using System.Net;
using MongoAuth.Ldap;

namespace MongoAuth.Tests.Ldap;

/// <summary>LDAP authorization against the real slapd of tests/backends/slapd.</summary>
public class LdapAuthorizerTests
{
    [Fact]
    public async Task MemberOf_query_returns_the_users_groups_and_the_roles_they_grant()
    {
        var authorizer = new LdapAuthorizer(LdapBackend.Options());
        var result = await authorizer.AuthorizeAsync("alice", LdapBackend.AdminRoles, CancellationToken.None);
        Assert.Equal(DistinguishedName.Parse("uid=alice," + LdapBackend.UsersDn), DistinguishedName.Parse(result.UserDn));
        Assert.Equal(LdapScope.Base, result.Query.Scope);
        Assert.Equal([LdapBackend.Group("cn=readers"), LdapBackend.Group("cn=admins")], result.Roles);
        Assert.Equal(2, result.GroupDns.Count);
        Assert.False(result.FromCache);
    }

    [Fact]
    public async Task Group_dns_with_escaped_characters_match_roles_written_with_other_escapes()
    {
        var authorizer = new LdapAuthorizer(LdapBackend.Options());
        var result = await authorizer.AuthorizeAsync("jsmith", LdapBackend.AdminRoles, CancellationToken.None);
        Assert.Equal("cn=Smith\\, John," + LdapBackend.UsersDn, DistinguishedName.Parse(result.UserDn).ToString());
        Assert.Contains(result.GroupDns, g => g.Contains("\\2B", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(
            Sorted([LdapBackend.Group("cn=readers"), LdapBackend.Group("cn=R\\+D"), LdapBackend.Group("cn=\\\"Quoted\\\" Team")]),
            Sorted(result.Roles));
    }

    [Fact]
    public async Task Member_filter_query_escapes_a_user_dn_that_contains_backslashes()
    {
        var options = LdapBackend.Options($"{LdapBackend.GroupsDn}??one?(&(objectClass=groupOfNames)(member={{USER}}))");
        var result = await new LdapAuthorizer(options).AuthorizeAsync("jsmith", LdapBackend.AdminRoles, CancellationToken.None);
        Assert.Empty(result.Query.Attributes);
        Assert.Equal(3, result.GroupDns.Count);
        Assert.Equal(3, result.Roles.Count);
    }

    [Fact]
    public async Task User_with_no_group_matching_a_role_gets_no_roles()
    {
        var result = await new LdapAuthorizer(LdapBackend.Options()).AuthorizeAsync("dave", LdapBackend.AdminRoles, CancellationToken.None);
        Assert.Equal([LdapBackend.Group("cn=guests")], result.GroupDns.Select(g => DistinguishedName.Parse(g).ToString()));
        Assert.Empty(result.Roles);
    }

    [Fact]
    public async Task Substitution_mapping_gives_the_dn_without_a_lookup()
    {
        var mapping = $"[{{match: \"(.+)\", substitution: \"uid={{0}},{LdapBackend.UsersDn}\"}}]";
        var authorizer = new LdapAuthorizer(LdapBackend.Options(mapping: mapping));
        Assert.Equal("uid=bob," + LdapBackend.UsersDn, await authorizer.MapUserToDnAsync("bob", CancellationToken.None));
        var result = await authorizer.AuthorizeAsync("bob", LdapBackend.AdminRoles, CancellationToken.None);
        Assert.Equal([LdapBackend.Group("cn=readers")], result.Roles);
    }

    [Fact]
    public async Task Mapping_query_that_finds_nobody_is_an_error_that_says_so()
    {
        var authorizer = new LdapAuthorizer(LdapBackend.Options());
        var e = await Assert.ThrowsAsync<LdapOperationException>(() => authorizer.MapUserToDnAsync("nobody", CancellationToken.None));
        Assert.Contains("found no entry", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passwords_are_verified_by_binding_as_the_mapped_dn()
    {
        var authorizer = new LdapAuthorizer(LdapBackend.Options());
        Assert.True(await authorizer.VerifyPasswordAsync("alice", LdapBackend.Password("alice"), CancellationToken.None));
        Assert.True(await authorizer.VerifyPasswordAsync("jsmith", LdapBackend.Password("jsmith"), CancellationToken.None));
        Assert.False(await authorizer.VerifyPasswordAsync("alice", LdapBackend.Password("bob"), CancellationToken.None));
        Assert.False(await authorizer.VerifyPasswordAsync("nobody", "whatever", CancellationToken.None));
        Assert.False(await authorizer.VerifyPasswordAsync("alice", "", CancellationToken.None));
    }

    [Fact]
    public async Task Server_down_is_reported_in_plain_words()
    {
        var closed = LdapBackend.ClosedServer();
        var authorizer = new LdapAuthorizer(LdapBackend.Options(servers: [closed]));
        var e = await Assert.ThrowsAsync<LdapOperationException>(() => authorizer.AuthorizeAsync("alice", [], CancellationToken.None));
        Assert.Contains("could not be reached", e.Message, StringComparison.Ordinal);
        Assert.Contains(closed, e.Message, StringComparison.Ordinal);
        Assert.True(e.IsServerUnavailable);
    }

    [Fact]
    public async Task An_unreachable_server_is_skipped_for_the_next_one()
    {
        var authorizer = new LdapAuthorizer(LdapBackend.Options(servers: [LdapBackend.ClosedServer(), LdapBackend.Server]));
        var result = await authorizer.AuthorizeAsync("bob", LdapBackend.AdminRoles, CancellationToken.None);
        Assert.Equal([LdapBackend.Group("cn=readers")], result.Roles);
    }

    [Fact]
    public async Task Wrong_query_password_is_reported_without_the_password()
    {
        const string wrong = "not-the-bind-password";
        var authorizer = new LdapAuthorizer(LdapBackend.Options(bindPassword: wrong));
        var e = await Assert.ThrowsAsync<LdapOperationException>(() => authorizer.AuthorizeAsync("alice", [], CancellationToken.None));
        Assert.Equal(49, e.ResultCode);
        Assert.Contains("invalidCredentials", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, authorizer.Options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_base_entry_is_reported_as_no_such_object()
    {
        var options = LdapBackend.Options($"ou=missing,{LdapBackend.BaseDn}??one?(member={{USER}})");
        var e = await Assert.ThrowsAsync<LdapOperationException>(() => new LdapAuthorizer(options).AuthorizeAsync("alice", [], CancellationToken.None));
        Assert.Equal(32, e.ResultCode);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Membership_is_cached_until_the_invalidation_interval_has_passed()
    {
        var clock = new ManualTimeProvider();
        var options = LdapBackend.Options();
        var authorizer = new LdapAuthorizer(new LdapAuthorizationOptions
        {
            Servers = options.Servers, QueryUser = options.QueryUser, QueryPassword = options.QueryPassword,
            QueryTemplate = options.QueryTemplate, UserToDnMapping = options.UserToDnMapping,
            UserCacheInvalidationInterval = TimeSpan.FromSeconds(30),
        }, clock);
        var newGroup = LdapBackend.Group("cn=cache-test-" + Guid.NewGuid().ToString("N"));
        var first = await authorizer.AuthorizeAsync("carol", [newGroup], CancellationToken.None);
        Assert.Empty(first.Roles);
        using var admin = AdminConnection();
        admin.SendRequest(new AddRequest(newGroup, new DirectoryAttribute("objectClass", "groupOfNames"),
            new DirectoryAttribute("member", "uid=carol," + LdapBackend.UsersDn)));
        try
        {
            clock.Advance(TimeSpan.FromSeconds(29));
            var cached = await authorizer.AuthorizeAsync("carol", [newGroup], CancellationToken.None);
            Assert.True(cached.FromCache);
            Assert.Empty(cached.Roles);
            clock.Advance(TimeSpan.FromSeconds(2));
            var refreshed = await authorizer.AuthorizeAsync("carol", [newGroup], CancellationToken.None);
            Assert.False(refreshed.FromCache);
            Assert.Equal([newGroup], refreshed.Roles);
        }
        finally
        {
            admin.SendRequest(new DeleteRequest(newGroup));
        }
    }

    [Fact]
    public void Options_are_checked_when_the_authorizer_is_built()
    {
        var e = Assert.Throws<LdapConfigurationException>(() => new LdapAuthorizer(new LdapAuthorizationOptions
        {
            Servers = [],
            QueryTemplate = LdapQueryTemplate.Parse("{USER}?memberOf"),
        }));
        Assert.Contains("security.ldap.servers", e.Message, StringComparison.Ordinal);
    }

    private static string[] Sorted(IEnumerable<string> values) => [.. values.Order(StringComparer.Ordinal)];

    private static LdapConnection AdminConnection()
    {
        var (host, port) = (LdapBackend.Server.Split(':')[0], int.Parse(LdapBackend.Server.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
        var connection = new LdapConnection(new LdapDirectoryIdentifier(host, port),
            new NetworkCredential(LdapBackend.BindDn, LdapBackend.BindPassword), AuthType.Basic);
        connection.SessionOptions.ProtocolVersion = 3;
        connection.Bind();
        return connection;
    }
}
