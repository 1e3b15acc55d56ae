using System.Net;
using MongoAuth.Authentication.Gssapi;
using static MongoAuth.Tests.Gssapi.KerberosBackend;

namespace MongoAuth.Tests.Gssapi;

/// <summary>Client and test-server conversations against the real KDC: every way to authenticate and name the service.</summary>
[Collection(KerberosCollection.Name)]
public sealed class GssapiKdcTests
{
    private static readonly IPAddress AliasAddress = IPAddress.Parse("192.0.2.55");

    [Fact]
    public async Task Password_authenticates_without_a_ticket_cache()
    {
        Kdestroy();
        var (user, spn) = await SaslDriver.RunAsync(Client(User, UserPassword), Server());
        Assert.Equal(User, user.User);
        Assert.Equal("$external", user.Db);
        Assert.Equal("readWrite", Assert.Single(user.Roles).Role);
        Assert.Equal("mongodb/localhost", spn);
    }

    [Fact]
    public async Task User_name_without_realm_uses_the_default_realm()
    {
        Kdestroy();
        var shortName = User[..User.IndexOf('@', StringComparison.Ordinal)];
        var (user, _) = await SaslDriver.RunAsync(Client(shortName, UserPassword), Server());
        Assert.Equal(User, user.User);
    }

    [Fact]
    public async Task Ticket_cache_from_kinit_is_used_without_a_password()
    {
        Kinit(User, UserPassword);
        var (user, _) = await SaslDriver.RunAsync(Client(User, null), Server());
        Assert.Equal(User, user.User);
    }

    [Fact]
    public async Task Keytab_user_authenticates_through_the_ticket_cache()
    {
        KinitWithKeytab(KeytabUser, KeytabUserKeytab);
        var (user, _) = await SaslDriver.RunAsync(Client(KeytabUser, null), Server());
        Assert.Equal(KeytabUser, user.User);
        Assert.Equal("read", Assert.Single(user.Roles).Role);
    }

    [Fact]
    public async Task Service_name_replaces_mongodb_in_the_principal()
    {
        var (_, spn) = await SaslDriver.RunAsync(
            Client(User, UserPassword, null, ("SERVICE_NAME", CustomServiceName)), Server());
        Assert.Equal($"{CustomServiceName}/localhost", spn);
    }

    [Fact]
    public async Task Service_host_replaces_the_connection_host()
    {
        var (_, spn) = await SaslDriver.RunAsync(
            Client(User, UserPassword, null, ("SERVICE_HOST", AliasTargetHost)), Server(), host: "localhost");
        Assert.Equal($"mongodb/{AliasTargetHost}", spn);
    }

    [Fact]
    public async Task Forward_canonicalization_follows_the_cname()
    {
        var dns = new StubHostResolver();
        dns.Forward["db-alias.example.invalid"] = new KerberosHostEntry(AliasTargetHost.ToUpperInvariant(), [AliasAddress]);
        var (_, spn) = await SaslDriver.RunAsync(
            Client(User, UserPassword, dns, ("CANONICALIZE_HOST_NAME", "forward")), Server(), "db-alias.example.invalid");
        Assert.Equal($"mongodb/{AliasTargetHost}", spn);
    }

    [Theory]
    [InlineData("forwardAndReverse")]
    [InlineData("true")]
    public async Task Forward_and_reverse_canonicalization_uses_the_ptr_name(string mode)
    {
        var dns = new StubHostResolver();
        dns.Forward["db-alias.example.invalid"] = new KerberosHostEntry("cname.example.invalid", [AliasAddress]);
        dns.Reverse[AliasAddress] = AliasTargetHost + ".";
        var (_, spn) = await SaslDriver.RunAsync(
            Client(User, UserPassword, dns, ("CANONICALIZE_HOST_NAME", mode)), Server(), "db-alias.example.invalid");
        Assert.Equal($"mongodb/{AliasTargetHost}", spn);
    }

    [Fact]
    public async Task Failed_canonicalization_lookup_falls_back_to_the_given_host()
    {
        var (_, spn) = await SaslDriver.RunAsync(
            Client(User, UserPassword, new StubHostResolver(), ("CANONICALIZE_HOST_NAME", "forwardAndReverse")), Server());
        Assert.Equal("mongodb/localhost", spn);
    }

    [Fact]
    public async Task Service_realm_reaches_a_service_across_the_realm_trust_with_a_password()
    {
        Kdestroy();
        var (user, spn) = await SaslDriver.RunAsync(
            Client(User, UserPassword, null, ("SERVICE_REALM", PartnerRealm)), Server(), PartnerServiceHost);
        Assert.Equal(User, user.User);
        Assert.Equal($"mongodb/{PartnerServiceHost}@{PartnerRealm}", spn);
    }

    [Fact]
    public async Task Service_realm_works_with_the_ticket_cache()
    {
        Kinit(User, UserPassword);
        var (user, _) = await SaslDriver.RunAsync(
            Client(User, null, null, ("SERVICE_REALM", PartnerRealm)), Server(), PartnerServiceHost);
        Assert.Equal(User, user.User);
    }
}
