using MongoAuth.TestServer.Tls;
using MongoAuth.Tests.EndToEnd;
using MongoAuth.Tests.Ldap;
using MongoDB.Bson;
using Official = MongoDB.Driver;

namespace MongoAuth.Tests.Reference;

/// <summary>The PLAIN test servers (plain and TLS) backed by the real slapd, and one Node.js run over their scenarios.</summary>
public sealed class NodeDriverPlainLdapFixture : IAsyncLifetime
{
    internal PlainLdapServer Server { get; private set; } = null!;

    internal PlainLdapServer TlsServer { get; private set; } = null!;

    internal NodeRun Node { get; private set; } = null!;

    internal static string Uri(PlainLdapServer server, string user, string password, bool tls) =>
        $"mongodb://{user}:{System.Uri.EscapeDataString(password)}@127.0.0.1:{server.Port}/?directConnection=true" +
        $"&authMechanism=PLAIN&authSource=$external{(tls ? "&tls=true&tlsAllowInvalidCertificates=true" : "")}";

    public async Task InitializeAsync()
    {
        Server = await PlainLdapServer.StartAsync();
        TlsServer = await PlainLdapServer.StartAsync(SelfSignedCertificate.CreateForLoopback());
        BsonDocument[] status = [new("connectionStatus", 1)];
        Node = await NodeDriver.RunAsync(
            new NodeScenario("alice", Uri(Server, "alice", LdapBackend.Password("alice"), tls: false), status),
            new NodeScenario("alice TLS", Uri(TlsServer, "alice", LdapBackend.Password("alice"), tls: true), status),
            new NodeScenario("jsmith", Uri(Server, "jsmith", LdapBackend.Password("jsmith"), tls: false), status),
            new NodeScenario("wrong password", Uri(Server, "alice", "not-alices-password-42", tls: false), [new("ping", 1)]));
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (TlsServer is not null)
        {
            await TlsServer.DisposeAsync();
        }
    }
}

/// <summary>
/// The official Node.js driver with PLAIN against the test server whose PLAIN binds to slapd and takes roles from LDAP
/// groups: it must see the same user and roles as our client (sync and async) and the official C# driver.
/// </summary>
public sealed class NodeDriverPlainLdapTests(NodeDriverPlainLdapFixture fixture) : IClassFixture<NodeDriverPlainLdapFixture>
{
    [Theory]
    [InlineData("alice", "alice", false)]
    [InlineData("alice TLS", "alice", true)]
    [InlineData("jsmith", "jsmith", false)] // group DNs that need escaping
    public async Task Node_sees_the_ldap_user_and_roles_our_client_and_the_official_driver_see(string scenario, string user, bool tls)
    {
        var server = tls ? fixture.TlsServer : fixture.Server;
        var password = LdapBackend.Password(user);
        await using var ours = new MongoClient(NodeDriverPlainLdapFixture.Uri(server, user, password, tls));
        using var official = PlainLdapReferenceTests.Connect(server, user, password, tls);

        var node = fixture.Node.AuthInfo(scenario);
        var oursAsync = (await ours.GetDatabase("admin").RunCommandAsync(new BsonDocument("connectionStatus", 1)))["authInfo"];
        var oursSync = ours.GetDatabase("admin").RunCommand(new BsonDocument("connectionStatus", 1))["authInfo"];
        var theirs = await PlainLdapReferenceTests.AuthInfoAsync(official);

        Assert.True(node.Equals(oursAsync), $"ours: {oursAsync}\n{fixture.Node.Describe()}");
        Assert.True(node.Equals(oursSync), $"ours (sync): {oursSync}\n{fixture.Node.Describe()}");
        Assert.True(node.Equals(theirs), $"official: {theirs}\n{fixture.Node.Describe()}");
        Assert.NotEmpty(node["authenticatedUserRoles"].AsBsonArray);
    }

    [Fact]
    public async Task A_wrong_password_is_AuthenticationFailed_for_all_three_clients()
    {
        const string wrong = "not-alices-password-42";
        await using var ours = new MongoClient(NodeDriverPlainLdapFixture.Uri(fixture.Server, "alice", wrong, tls: false));
        using var official = PlainLdapReferenceTests.Connect(fixture.Server, "alice", wrong);

        var node = fixture.Node.Error("wrong password");
        var asyncError = await Assert.ThrowsAsync<MongoAuthenticationException>(
            () => ours.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1)));
        var syncError = Assert.Throws<MongoAuthenticationException>(() => ours.GetDatabase("admin").RunCommand(new BsonDocument("ping", 1)));
        await Assert.ThrowsAsync<Official.MongoAuthenticationException>(() => OfficialDriver.RunAsync(official, "ping"));

        Assert.True(node["code"].ToInt32() == 18, $"Node.js: {node}. {fixture.Node.Describe()}");
        Assert.Equal(18, asyncError.ServerErrorCode);
        Assert.Equal(18, syncError.ServerErrorCode);
        Assert.DoesNotContain(wrong, node.ToString(), StringComparison.Ordinal);
    }
}
