using MongoAuth.Tests.Gssapi;
using static MongoAuth.Tests.EndToEnd.GssapiEndToEnd;
using static MongoAuth.Tests.Gssapi.KerberosBackend;
using static MongoAuth.Tests.Reference.GssapiReferenceTests;

using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.EndToEnd;

/// <summary>
/// Our <see cref="MongoClient"/> with GSSAPI from a connection string, against the test server's GSSAPI half and the
/// loopback KDC: every way to give credentials and to name the service, and the identity the reference client sees.
/// </summary>
[Collection(KerberosCollection.Name)]
public sealed class GssapiEndToEndTests
{
    [Theory, BothModes]
    public async Task Password_in_the_connection_string_gives_the_identity_the_reference_client_sees(Mode mode)
    {
        Kdestroy();
        await using var server = await StartAsync();
        await using var client = new MongoClient(Uri(server, UserPassword));
        using var reference = Connect(server, UserInfo(User, UserPassword));

        var ours = await PingAndIdentityAsync(mode, client);
        var theirs = await PingAndIdentityAsync(reference);

        Assert.Equal(theirs, ours);
        Assert.Equal(External(User), ours);
    }

    [Theory, BothModes]
    public async Task Ticket_cache_gives_the_identity_the_reference_client_sees(Mode mode)
    {
        Kinit(User, UserPassword);
        await using var server = await StartAsync();
        await using var client = new MongoClient(Uri(server, password: null));
        using var reference = Connect(server, UserInfo(User, null));

        var ours = await PingAndIdentityAsync(mode, client);

        Assert.Equal(await PingAndIdentityAsync(reference), ours);
        Assert.Equal(External(User), ours);
    }

    [Theory, BothModes]
    public async Task Keytab_user_through_the_ticket_cache_gets_its_roles(Mode mode)
    {
        KinitWithKeytab(KeytabUser, KeytabUserKeytab);
        await using var server = await StartAsync();
        await using var client = new MongoClient(Uri(server, password: null, user: KeytabUser));

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal($"{KeytabUser}@$external [read@test]", status.ToString());
    }

    [Theory, BothModes]
    public async Task User_without_realm_is_the_principal_of_the_default_realm(Mode mode)
    {
        Kdestroy();
        await using var server = await StartAsync();
        await using var client = new MongoClient(Uri(server, UserPassword, user: User[..User.IndexOf('@', StringComparison.Ordinal)]));

        Assert.Equal(External(User), await PingAndIdentityAsync(mode, client));
    }

    [Theory, BothModes]
    public async Task Credential_built_in_code_authenticates_like_the_connection_string(Mode mode)
    {
        await using var server = await StartAsync();
        var settings = MongoClientSettings.FromConnectionString($"mongodb://localhost:{server.Port}/?directConnection=true") with
        {
            Credential = MongoCredential.CreateGssapiCredential(User, UserPassword),
        };
        await using var client = new MongoClient(settings);

        Assert.Equal(External(User), await PingAndIdentityAsync(mode, client));
    }

    [Theory]
    [InlineData(Mode.Sync, "authMechanismProperties=SERVICE_NAME:")]
    [InlineData(Mode.Async, "authMechanismProperties=SERVICE_NAME:")]
    [InlineData(Mode.Sync, "gssapiServiceName=")]
    [InlineData(Mode.Async, "gssapiServiceName=")]
    public async Task Service_name_names_the_service_principal(Mode mode, string option)
    {
        await using var server = await StartAsync();
        await using var client = new MongoClient(Uri(server, UserPassword, options: $"&{option}{CustomServiceName}"));

        Assert.Equal(External(User), await PingAndIdentityAsync(mode, client));
    }

    [Theory, BothModes]
    public async Task Service_host_replaces_the_host_connected_to(Mode mode)
    {
        await using var server = await StartAsync();
        await using var client = new MongoClient(Uri(server, UserPassword, options: $"&authMechanismProperties=SERVICE_HOST:{AliasTargetHost}"));

        Assert.Equal(External(User), await PingAndIdentityAsync(mode, client));
    }

    [Theory]
    [InlineData(Mode.Sync, "forwardAndReverse")]
    [InlineData(Mode.Async, "forwardAndReverse")]
    [InlineData(Mode.Sync, "true")]
    [InlineData(Mode.Async, "true")]
    public async Task Canonicalize_host_name_finds_the_name_of_an_address(Mode mode, string canonicalize)
    {
        // mongodb/127.0.0.1 is no principal; the reverse name of 127.0.0.1, localhost, is (see the failure tests).
        await using var server = await StartAsync();
        await using var client = new MongoClient(Uri(server, UserPassword, "127.0.0.1", $"&authMechanismProperties=CANONICALIZE_HOST_NAME:{canonicalize}"));

        Assert.Equal(External(User), await PingAndIdentityAsync(mode, client));
    }

    [Theory, BothModes]
    public async Task Canonicalize_forward_keeps_a_name_without_cname(Mode mode)
    {
        await using var server = await StartAsync();
        await using var client = new MongoClient(Uri(server, UserPassword, options: "&authMechanismProperties=CANONICALIZE_HOST_NAME:forward"));

        Assert.Equal(External(User), await PingAndIdentityAsync(mode, client));
    }

    [Theory, BothModes]
    public async Task Service_realm_reaches_the_partner_realm_with_a_password(Mode mode)
    {
        Kdestroy();
        await using var server = await StartAsync();
        await using var client = new MongoClient(Uri(server, UserPassword,
            options: $"&authMechanismProperties=SERVICE_HOST:{PartnerServiceHost},SERVICE_REALM:{PartnerRealm}"));

        Assert.Equal(External(User), await PingAndIdentityAsync(mode, client));
    }

    [Theory, BothModes]
    public async Task Service_realm_reaches_the_partner_realm_with_the_ticket_cache(Mode mode)
    {
        Kinit(User, UserPassword);
        await using var server = await StartAsync();
        await using var client = new MongoClient(Uri(server, password: null,
            options: $"&authMechanismProperties=SERVICE_HOST:{PartnerServiceHost},SERVICE_REALM:{PartnerRealm}"));

        Assert.Equal(External(User), await PingAndIdentityAsync(mode, client));
    }

    [Theory, BothModes]
    public async Task Service_realm_naming_the_home_realm_works_where_the_reference_client_fails(Mode mode)
    {
        await using var server = await StartAsync();
        await using var client = new MongoClient(Uri(server, UserPassword, options: $"&authMechanismProperties=SERVICE_REALM:{Realm}"));

        Assert.Equal(External(User), await PingAndIdentityAsync(mode, client));
    }

    [Fact]
    public async Task Every_pooled_connection_authenticates_on_its_own()
    {
        await using var server = await StartAsync();
        await using var client = new MongoClient(Uri(server, UserPassword));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.GetConnectionStatusIn(Mode.Async)));

        Assert.All(statuses, s => Assert.Equal(User, Assert.Single(s.AuthenticatedUsers).User));
        // One conversation per pooled connection (the test server tracks authentication per connection), never more.
        Assert.InRange(server.Statistics.CommandsReceived("saslStart"), 1, statuses.Length);
    }
}
