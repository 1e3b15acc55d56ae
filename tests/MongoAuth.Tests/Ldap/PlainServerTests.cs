using System.Text;
using MongoAuth.Authentication.Plain;
using MongoAuth.Ldap;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Plain;

namespace MongoAuth.Tests.Ldap;

/// <summary>The test server's PLAIN, driven in-process by our client's PLAIN steps.</summary>
public class PlainServerTests
{
    private static async Task<AuthenticatedUser> AuthenticateAsync(IPlainUserVerifier verifier, string user, string password, string? source = null)
    {
        var client = new PlainMechanism(PlainMechanismTests.Credential(user, password, source), false);
        var clientStep = await client.CreateFirstStep(PlainMechanismTests.Context("127.0.0.1"))
            .ExecuteAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        var conversation = new PlainServerMechanism(verifier).Start(new ServerConversationContext(null, client.Source, IsTls: false));
        var serverStep = await conversation.StepAsync(clientStep.Payload, CancellationToken.None);
        Assert.True(serverStep.Done);
        Assert.Equal(0, serverStep.Payload.Length);
        return serverStep.User!;
    }

    private static LdapPlainUsers Ldap(CapturingLogger logger, LdapAuthorizationOptions? options = null) =>
        new(new LdapAuthorizer(options ?? LdapBackend.Options()), LdapBackend.AdminRoles, logger);

    private static async Task<ServerCommandException> FailsWith18Async(IPlainUserVerifier verifier, string user, string password, string? source = null)
    {
        var e = await Assert.ThrowsAsync<ServerCommandException>(() => AuthenticateAsync(verifier, user, password, source));
        Assert.Equal(18, e.Code);
        Assert.Equal("AuthenticationFailed", e.CodeName);
        Assert.DoesNotContain(password, e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact]
    public async Task Right_password_authenticates_against_external_with_roles_from_ldap_groups()
    {
        var logger = new CapturingLogger();
        var user = await AuthenticateAsync(Ldap(logger), "alice", LdapBackend.Password("alice"));
        Assert.Equal("alice", user.User);
        Assert.Equal("$external", user.Db);
        Assert.Equal([new GrantedRole(LdapBackend.Group("cn=readers"), "admin"), new GrantedRole(LdapBackend.Group("cn=admins"), "admin")], user.Roles);
        Assert.DoesNotContain(LdapBackend.Password("alice"), logger.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Group_dns_with_escaped_characters_grant_their_roles()
    {
        var user = await AuthenticateAsync(Ldap(new CapturingLogger()), "jsmith", LdapBackend.Password("jsmith"));
        Assert.Equal(3, user.Roles.Count);
        Assert.Contains(new GrantedRole(LdapBackend.Group("cn=R\\+D"), "admin"), user.Roles);
        Assert.Contains(new GrantedRole(LdapBackend.Group("cn=\\\"Quoted\\\" Team"), "admin"), user.Roles);
    }

    [Fact]
    public async Task No_group_matching_a_role_authenticates_with_no_roles()
    {
        var user = await AuthenticateAsync(Ldap(new CapturingLogger()), "dave", LdapBackend.Password("dave"));
        Assert.Equal("dave", user.User);
        Assert.Empty(user.Roles);
    }

    [Fact]
    public async Task Wrong_password_fails_with_18_and_is_never_echoed()
    {
        var logger = new CapturingLogger();
        const string wrong = "definitely-wrong-password";
        await FailsWith18Async(Ldap(logger), "alice", wrong);
        Assert.Contains("rejected the bind", logger.All, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, logger.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_user_fails_with_18()
    {
        var logger = new CapturingLogger();
        await FailsWith18Async(Ldap(logger), "nobody", "some-password");
        Assert.Contains("nobody", logger.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ldap_server_down_fails_with_18_and_a_clear_server_side_message()
    {
        var logger = new CapturingLogger();
        var closed = LdapBackend.ClosedServer();
        await FailsWith18Async(Ldap(logger, LdapBackend.Options(servers: [closed])), "alice", "any-password");
        Assert.Contains("could not be reached", logger.All, StringComparison.Ordinal);
        Assert.Contains(closed, logger.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ldap_users_must_use_external()
    {
        var logger = new CapturingLogger();
        await FailsWith18Async(Ldap(logger), "alice", LdapBackend.Password("alice"), source: "admin");
        Assert.Contains("$external", logger.All, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_template_without_user_or_malformed_is_refused_at_configuration()
    {
        Assert.Throws<LdapConfigurationException>(() => LdapQueryTemplate.Parse($"{LdapBackend.GroupsDn}??one?(member=uid=alice)"));
        Assert.Throws<LdapConfigurationException>(() => LdapQueryTemplate.Parse("{USER}?memberOf?everywhere"));
    }

    [Fact]
    public async Task Query_that_expands_to_a_malformed_url_fails_with_18_and_says_why()
    {
        var logger = new CapturingLogger();
        var mapping = """[{match: "(.+)", substitution: "uid={0},not a dn"}]""";
        await FailsWith18Async(Ldap(logger, LdapBackend.Options(mapping: mapping)), "alice", "any-password");
        Assert.Contains("not a valid distinguished name", logger.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_users_mode_needs_no_ldap()
    {
        var users = new LocalPlainUsers().Add("app", "app-pw", roles: new GrantedRole("readWrite", "test"));
        var user = await AuthenticateAsync(users, "app", "app-pw");
        Assert.Equal(new GrantedRole("readWrite", "test"), Assert.Single(user.Roles));
        await FailsWith18Async(users, "app", "wrong-pw");
        await FailsWith18Async(users, "other", "app-pw");
        await FailsWith18Async(users, "app", "app-pw", source: "admin");
    }

    [Theory]
    [InlineData("no separators")]
    [InlineData("\0only-user")]
    [InlineData("other\0app\0app-pw")]
    [InlineData("\0\0app-pw")]
    public async Task Malformed_messages_fail_with_18(string message)
    {
        var users = new LocalPlainUsers().Add("app", "app-pw");
        var conversation = new PlainServerMechanism(users).Start(new ServerConversationContext(null, "$external", false));
        var e = await Assert.ThrowsAsync<ServerCommandException>(() => conversation.StepAsync(Encoding.UTF8.GetBytes(message), CancellationToken.None).AsTask());
        Assert.Equal(18, e.Code);
    }

    [Fact]
    public async Task Authorization_identity_equal_to_the_user_is_accepted()
    {
        var users = new LocalPlainUsers().Add("app", "app-pw");
        var conversation = new PlainServerMechanism(users).Start(new ServerConversationContext(null, "$external", false));
        var step = await conversation.StepAsync(Encoding.UTF8.GetBytes("app\0app\0app-pw"), CancellationToken.None);
        Assert.Equal("app", step.User!.User);
    }
}
