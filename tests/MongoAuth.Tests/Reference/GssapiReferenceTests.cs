using MongoAuth.Benchmarks.Clients;
using MongoAuth.Tests.Gssapi;
using MongoAuth.TestServer;
using MongoDB.Bson;
using static MongoAuth.Tests.Gssapi.KerberosBackend;
using Official = MongoDB.Driver;

namespace MongoAuth.Tests.Reference;

/// <summary>
/// The official MongoDB.Driver (libgssapi on Linux) authenticating with GSSAPI against the test server's GSSAPI half
/// through the loopback KDC: with a password, with the ticket cache (kinit with a password and with a keytab), with
/// SERVICE_NAME and CANONICALIZE_HOST_NAME; and its failures. The identity it sees is the one our client must see.
/// </summary>
[Collection(KerberosCollection.Name)]
public sealed class GssapiReferenceTests
{
    // MongoDB.Driver imports "libgssapi_krb5", which only libkrb5-dev's unversioned symlink satisfies; point it at
    // the runtime's libgssapi_krb5.so.2 (the benchmarks need the same mapping).
    static GssapiReferenceTests() => OfficialDriverGssapiLibrary.EnsureRegistered();

    /// <summary>A test server with the GSSAPI half (keys from KRB5_KTNAME) and the KDC's users.</summary>
    internal static async Task<MongoTestServer> StartAsync()
    {
        var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        server.RegisterMechanism(Server());
        return server;
    }

    /// <summary>The user part of a URI: the percent-encoded principal and, when given, the password.</summary>
    internal static string UserInfo(string principal, string? password) =>
        Uri.EscapeDataString(principal) + (password is null ? "" : ":" + Uri.EscapeDataString(password));

    /// <summary>An official-driver client of <paramref name="server"/> that authenticates with GSSAPI.</summary>
    /// <param name="server">The test server.</param>
    /// <param name="userInfo">From <see cref="UserInfo"/>.</param>
    /// <param name="host">The host the driver connects to and names the service after.</param>
    /// <param name="property">A mechanism property, set on the credential as a string (see the canonicalization test).</param>
    internal static Official.MongoClient Connect(
        MongoTestServer server, string userInfo, string host = "localhost", (string Name, string Value)? property = null)
    {
        var settings = Official.MongoClientSettings.FromConnectionString(
            $"mongodb://{userInfo}@{host}:{server.Port}/?authMechanism=GSSAPI&authSource=$external" +
            "&directConnection=true&serverSelectionTimeoutMS=10000&connectTimeoutMS=10000");
        if (property is var (name, value))
        {
            settings.Credential = settings.Credential.WithMechanismProperty(name, value);
        }

        return new Official.MongoClient(settings);
    }

    /// <summary>Pings, then returns the one user connectionStatus reports, as <c>{user, db}</c>.</summary>
    internal static async Task<BsonDocument> PingAndIdentityAsync(Official.MongoClient client)
    {
        var ping = await OfficialDriver.RunAsync(client, "ping");
        Assert.Equal(1.0, ping["ok"].ToDouble());
        return await OfficialDriver.IdentityAsync(client);
    }

    /// <summary>What connectionStatus shows for a Kerberos principal.</summary>
    internal static BsonDocument External(string principal) => new() { { "user", principal }, { "db", "$external" } };

    [Fact]
    public async Task Password_authenticates_the_principal_as_its_external_user()
    {
        Kdestroy();
        await using var server = await StartAsync();
        using var client = Connect(server, UserInfo(User, UserPassword));

        Assert.Equal(External(User), await PingAndIdentityAsync(client));
        Assert.True(server.Statistics.CommandsReceived("saslStart") >= 1);
    }

    [Fact]
    public async Task Ticket_cache_from_kinit_authenticates_without_a_password()
    {
        Kinit(User, UserPassword);
        await using var server = await StartAsync();
        using var client = Connect(server, UserInfo(User, null));

        Assert.Equal(External(User), await PingAndIdentityAsync(client));
    }

    [Fact]
    public async Task Keytab_user_authenticates_through_the_ticket_cache()
    {
        KinitWithKeytab(KeytabUser, KeytabUserKeytab);
        await using var server = await StartAsync();
        using var client = Connect(server, UserInfo(KeytabUser, null));

        Assert.Equal(External(KeytabUser), await PingAndIdentityAsync(client));
        var status = await OfficialDriver.RunAsync(client, "connectionStatus");
        Assert.Equal(new BsonDocument { { "role", "read" }, { "db", "test" } },
            Assert.Single(status["authInfo"]["authenticatedUserRoles"].AsBsonArray));
    }

    [Fact]
    public async Task Service_name_property_names_the_service_principal()
    {
        await using var server = await StartAsync();
        using var client = Connect(server, UserInfo(User, UserPassword), property: ("SERVICE_NAME", CustomServiceName));

        Assert.Equal(External(User), await PingAndIdentityAsync(client));
    }

    [Fact]
    public async Task Canonicalize_host_name_turns_the_address_into_the_name_the_kdc_knows()
    {
        // 127.0.0.1 is no service principal; its reverse name, localhost, is. MongoDB.Driver 3.14 reads the property
        // as a string: "CANONICALIZE_HOST_NAME:true" in the URI becomes a Boolean and fails with an InvalidCastException,
        // so it is set on the credential here.
        await using var server = await StartAsync();
        using var client = Connect(server, UserInfo(User, UserPassword), "127.0.0.1", ("CANONICALIZE_HOST_NAME", "true"));

        Assert.Equal(External(User), await PingAndIdentityAsync(client));
    }

    [Fact]
    public async Task Wrong_password_fails_and_no_command_runs()
    {
        Kdestroy();
        const string wrong = "not-the-Password-42";
        await using var server = await StartAsync();
        using var client = Connect(server, UserInfo(User, wrong));

        var error = await Assert.ThrowsAsync<Official.MongoAuthenticationException>(() => OfficialDriver.RunAsync(client, "ping"));

        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Statistics.CommandsReceived("ping"));
    }

    [Fact]
    public async Task Address_without_canonicalization_is_an_unknown_service_principal()
    {
        await using var server = await StartAsync();
        using var client = Connect(server, UserInfo(User, UserPassword), "127.0.0.1");

        var error = await Assert.ThrowsAsync<Official.MongoAuthenticationException>(() => OfficialDriver.RunAsync(client, "ping"));

        Assert.Contains("mongodb/127.0.0.1@", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Statistics.CommandsReceived("saslStart"));
    }

    [Fact]
    public async Task Service_realm_is_not_understood_by_the_official_driver_on_linux()
    {
        // MongoDB.Driver imports "mongodb@localhost@REALM" as a host-based name; libgssapi takes "localhost@REALM" for
        // the host and guesses a realm from its "domain", so even the home realm named explicitly sends the client to
        // a realm the KDC does not have. Our client passes the same case (MongoClientGssapiTests); this test notices
        // when the official driver changes.
        await using var server = await StartAsync();
        using var client = Connect(server, UserInfo(User, UserPassword), property: ("SERVICE_REALM", Realm));

        var error = await Assert.ThrowsAsync<Official.MongoAuthenticationException>(() => OfficialDriver.RunAsync(client, "ping"));

        Assert.Contains("not found in Kerberos database", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Statistics.CommandsReceived("saslStart"));
    }

    [Fact]
    public async Task Service_host_is_an_unknown_property_to_the_official_driver()
    {
        await using var server = await StartAsync();
        using var client = Connect(server, UserInfo(User, UserPassword), property: ("SERVICE_HOST", "localhost"));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => OfficialDriver.RunAsync(client, "ping"));

        Assert.Contains("Unknown GSSAPI property 'SERVICE_HOST'", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Statistics.CommandsReceived("saslStart"));
    }
}
