using MongoAuth.Ldap;

namespace MongoAuth.Tests.Ldap;

/// <summary>StartTLS and ldaps against the slapd backend, whose certificate the test process trusts.</summary>
public class LdapTransportSecurityTests
{
    [Fact]
    public async Task StartTls_upgrades_the_plain_port_before_binding()
    {
        LdapBackend.RequireTrustedCa();
        var authorizer = new LdapAuthorizer(LdapBackend.Options(security: LdapTransportSecurity.StartTls));
        Assert.True(await authorizer.VerifyPasswordAsync("bob", LdapBackend.Password("bob"), CancellationToken.None));
        var result = await authorizer.AuthorizeAsync("bob", LdapBackend.AdminRoles, CancellationToken.None);
        Assert.Equal([LdapBackend.Group("cn=readers")], result.Roles);
    }

    [Fact]
    public async Task Ldaps_talks_tls_from_the_first_byte()
    {
        LdapBackend.RequireTrustedCa();
        var authorizer = new LdapAuthorizer(LdapBackend.Options(servers: [LdapBackend.LdapsServer], security: LdapTransportSecurity.Ldaps));
        var result = await authorizer.AuthorizeAsync("alice", LdapBackend.AdminRoles, CancellationToken.None);
        Assert.Equal(2, result.Roles.Count);
    }

    [Fact]
    public async Task Ldaps_to_a_plain_port_fails_with_an_ldap_error()
    {
        var authorizer = new LdapAuthorizer(LdapBackend.Options(security: LdapTransportSecurity.Ldaps));
        var e = await Assert.ThrowsAsync<LdapOperationException>(() => authorizer.AuthorizeAsync("alice", [], CancellationToken.None));
        Assert.Contains(LdapBackend.Server, e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.ResultCode);
    }

    [Theory]
    [InlineData("ldap.example.com", LdapTransportSecurity.None, "ldap.example.com", 389)]
    [InlineData("ldap.example.com", LdapTransportSecurity.Ldaps, "ldap.example.com", 636)]
    [InlineData("ldap.example.com:1389", LdapTransportSecurity.StartTls, "ldap.example.com", 1389)]
    [InlineData("[::1]:1636", LdapTransportSecurity.Ldaps, "::1", 1636)]
    [InlineData("::1", LdapTransportSecurity.None, "::1", 389)]
    public void Server_entries_default_the_port_by_transport(string entry, LdapTransportSecurity security, string host, int port) =>
        Assert.Equal((host, port), LdapSession.SplitServer(entry, security));

    [Fact]
    public void A_bad_port_is_a_configuration_error() =>
        Assert.Throws<LdapConfigurationException>(() => LdapSession.SplitServer("host:99999", LdapTransportSecurity.None));
}
