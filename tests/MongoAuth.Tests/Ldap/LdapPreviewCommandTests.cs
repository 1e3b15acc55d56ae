using MongoAuth.Cli.Commands;

namespace MongoAuth.Tests.Ldap;

public class LdapPreviewCommandTests
{
    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var code = await LdapPreviewCommand.RunAsync(args, output, CancellationToken.None);
        return (code, output.ToString());
    }

    private static string[] Common(string server, string user) =>
    [
        "--servers", server, "--bind-user", LdapBackend.BindDn, "--bind-password-env", "MONGOAUTH_LDAP_BIND_PASSWORD",
        "--query-template", "{USER}?memberOf?base", "--user-to-dn-mapping", LdapBackend.UidLookupMapping, "--user", user,
    ];

    [Fact]
    public async Task Prints_the_dn_query_groups_and_roles()
    {
        var (code, output) = await RunAsync([.. Common(LdapBackend.Server, "jsmith"),
            "--role", LdapBackend.Group("cn=readers"), "--role", LdapBackend.Group("cn=R\\+D")]);
        Assert.Equal(0, code);
        Assert.Contains("transformed DN: cn=Smith\\2C John," + LdapBackend.UsersDn, output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("rule 0, ldapQuery", output, StringComparison.Ordinal);
        Assert.Contains($"query URL:      ldap://{LdapBackend.Server}/cn=Smith", output, StringComparison.Ordinal);
        Assert.Contains("groups found:   3", output, StringComparison.Ordinal);
        Assert.Contains("(no role with this name)", output, StringComparison.Ordinal);
        Assert.Contains("roles granted:  2", output, StringComparison.Ordinal);
        Assert.Contains("  cn=R\\+D," + LdapBackend.GroupsDn + " (admin)", output, StringComparison.Ordinal);
        Assert.DoesNotContain(LdapBackend.BindPassword, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Says_when_the_user_would_get_no_roles()
    {
        var (code, output) = await RunAsync([.. Common(LdapBackend.Server, "dave"), "--role", LdapBackend.Group("cn=readers")]);
        Assert.Equal(0, code);
        Assert.Contains("roles granted:  0  (the user would authenticate with no roles)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_a_server_that_is_down()
    {
        var (code, output) = await RunAsync(Common(LdapBackend.ClosedServer(), "alice"));
        Assert.Equal(1, code);
        Assert.Contains("could not be reached", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_a_template_without_user()
    {
        var (code, output) = await RunAsync("--servers", "127.0.0.1:1", "--query-template", "dc=x?memberOf?base", "--user", "alice");
        Assert.Equal(1, code);
        Assert.Contains("does not contain {USER}", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--user", "alice" }, "--servers is required")]
    [InlineData(new[] { "--bogus", "x" }, "unknown argument '--bogus'")]
    [InlineData(new[] { "--servers" }, "--servers needs a value")]
    [InlineData(new[] { "--servers", "h", "--query-template", "{USER}", "--user", "a", "--tls", "maybe" }, "--tls must be")]
    [InlineData(new[] { "--servers", "h", "--query-template", "{USER}", "--user", "a", "--bind-password-env", "MONGOAUTH_NO_SUCH_VARIABLE" }, "is not set")]
    public async Task Bad_arguments_print_usage(string[] args, string expected)
    {
        var (code, output) = await RunAsync(args);
        Assert.Equal(2, code);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.Contains("usage: mongoauth ldap-preview", output, StringComparison.Ordinal);
    }
}
