using MongoAuth.Authentication.Gssapi;
using static MongoAuth.Tests.Gssapi.KerberosBackend;

namespace MongoAuth.Tests.Gssapi;

/// <summary>Every failure the user can cause, against the real KDC: the message must say what to fix.</summary>
[Collection(KerberosCollection.Name)]
public sealed class GssapiKdcFailureTests
{
    private static async Task<MongoAuthenticationException> FailsAsync(GssapiMechanism client, string host = "localhost")
    {
        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => SaslDriver.RunAsync(client, Server(), host));
        Assert.Equal("GSSAPI", error.Mechanism);
        return error;
    }

    [Fact]
    public async Task Wrong_password_says_the_kdc_rejected_it_and_never_shows_it()
    {
        Kdestroy();
        const string wrong = "not-the-Password-42";
        var error = await FailsAsync(Client(User, wrong));
        Assert.Contains($"rejected the password of '{User}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(UserPassword, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_ticket_and_no_password_says_to_run_kinit_and_names_the_principal()
    {
        Kdestroy();
        var error = await FailsAsync(Client(User, null));
        Assert.Contains($"run 'kinit {User}' or give a password", error.Message, StringComparison.Ordinal);
        Assert.Contains(Get("KRB5CCNAME"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_service_principal_shows_the_spn_used()
    {
        Kinit(User, UserPassword);
        var error = await FailsAsync(Client(User, null, null, ("SERVICE_NAME", "nosuchservice")));
        Assert.Contains("does not know the service principal 'nosuchservice/localhost'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_without_canonicalization_uses_the_alias_and_fails_with_that_spn()
    {
        var dns = new StubHostResolver();
        dns.Forward["db-alias.example.invalid"] = new KerberosHostEntry(AliasTargetHost, [System.Net.IPAddress.Loopback]);
        var error = await FailsAsync(Client(User, UserPassword, dns, ("CANONICALIZE_HOST_NAME", "none")), "db-alias.example.invalid");
        Assert.Contains("'mongodb/db-alias.example.invalid'", error.Message, StringComparison.Ordinal);
        Assert.Empty(dns.Lookups);
    }

    [Fact]
    public async Task Cross_realm_service_without_service_realm_is_unknown_in_the_home_realm()
    {
        var error = await FailsAsync(Client(User, UserPassword), PartnerServiceHost);
        Assert.Contains($"does not know the service principal 'mongodb/{PartnerServiceHost}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_service_in_the_service_realm_shows_the_realm_qualified_spn()
    {
        var error = await FailsAsync(Client(User, UserPassword, null, ("SERVICE_REALM", PartnerRealm)), "nohost.partner.test");
        Assert.Contains($"'mongodb/nohost.partner.test@{PartnerRealm}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not know the service principal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_kdc_says_so()
    {
        var error = await FailsAsync(Client("someone@" + DownRealm, "any-password"));
        Assert.Contains("no KDC of the realm could be reached", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_user_says_the_kdc_does_not_know_it()
    {
        var error = await FailsAsync(Client("nobody@" + Realm, "any-password"));
        Assert.Contains($"does not know the user principal 'nobody@{Realm}'", error.Message, StringComparison.Ordinal);
    }
}
