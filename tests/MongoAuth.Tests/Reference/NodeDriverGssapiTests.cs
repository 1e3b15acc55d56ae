using MongoAuth.Tests.EndToEnd;
using MongoAuth.Tests.Gssapi;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Gssapi;
using MongoDB.Bson;
using static MongoAuth.Tests.Gssapi.KerberosBackend;

namespace MongoAuth.Tests.Reference;

/// <summary>
/// GSSAPI test servers and one Node.js run through the loopback KDC. The Node.js kerberos addon takes its
/// credentials from the ticket cache (a password in the URI does not reach it), so the user is kinit'ed first; the
/// whole run happens while the fixture holds the cache, before any other Kerberos test of the collection.
/// </summary>
public sealed class NodeDriverGssapiFixture : IAsyncLifetime
{
    public MongoTestServer Server { get; private set; } = null!;

    /// <summary>A server that accepts the Kerberos context but has no such user: AuthenticationFailed.</summary>
    public MongoTestServer NoUsersServer { get; private set; } = null!;

    internal NodeRun Node { get; private set; } = null!;

    public static string Uri(MongoTestServer server, string options = "") =>
        $"mongodb://{System.Uri.EscapeDataString(User)}@localhost:{server.Port}/?directConnection=true" +
        $"&authMechanism=GSSAPI&authSource=$external{options}";

    public async Task InitializeAsync()
    {
        Server = await GssapiReferenceTests.StartAsync();
        NoUsersServer = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        NoUsersServer.RegisterMechanism(new GssapiServerMechanism(new Dictionary<string, IReadOnlyList<GrantedRole>>()));
        Kinit(User, UserPassword);
        try
        {
            BsonDocument[] status = [new("connectionStatus", 1)];
            Node = await NodeDriver.RunAsync(
                new NodeScenario("ticket cache", Uri(Server), status),
                new NodeScenario("SERVICE_NAME", Uri(Server, $"&authMechanismProperties=SERVICE_NAME:{CustomServiceName}"), status),
                new NodeScenario("no such user", Uri(NoUsersServer), [new("ping", 1)]));
        }
        finally
        {
            Kdestroy();
        }
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (NoUsersServer is not null)
        {
            await NoUsersServer.DisposeAsync();
        }
    }
}

/// <summary>
/// The official Node.js driver with GSSAPI against the test server. Node sends its SASL payloads as base64 strings
/// (as mongod accepts); before the test server decoded them it failed every time. The identity and roles must match
/// our client's (sync and async) and the official C# driver's.
/// </summary>
[Collection(KerberosCollection.Name)]
public sealed class NodeDriverGssapiTests(NodeDriverGssapiFixture fixture) : IClassFixture<NodeDriverGssapiFixture>
{
    static NodeDriverGssapiTests() => MongoAuth.Benchmarks.Clients.OfficialDriverGssapiLibrary.EnsureRegistered();

    [Theory]
    [InlineData("ticket cache")]
    [InlineData("SERVICE_NAME")]
    public async Task Node_sees_the_principal_and_roles_our_client_and_the_official_driver_see(string scenario)
    {
        Kdestroy();
        var server = fixture.Server;
        await using var ours = new MongoClient(GssapiEndToEnd.Uri(server, UserPassword));
        using var official = GssapiReferenceTests.Connect(server, GssapiReferenceTests.UserInfo(User, UserPassword));

        var node = fixture.Node.AuthInfo(scenario);
        var oursAsync = (await ours.GetDatabase("admin").RunCommandAsync(new BsonDocument("connectionStatus", 1)))["authInfo"];
        var oursSync = ours.GetDatabase("admin").RunCommand(new BsonDocument("connectionStatus", 1))["authInfo"];
        var theirs = (await OfficialDriver.RunAsync(official, "connectionStatus"))["authInfo"];

        Assert.True(node.Equals(oursAsync), $"ours: {oursAsync}\n{fixture.Node.Describe()}");
        Assert.True(node.Equals(oursSync), $"ours (sync): {oursSync}\n{fixture.Node.Describe()}");
        Assert.True(node.Equals(theirs), $"official: {theirs}\n{fixture.Node.Describe()}");
        Assert.Equal(GssapiReferenceTests.External(User), node["authenticatedUsers"][0]);
        Assert.NotEmpty(node["authenticatedUserRoles"].AsBsonArray);
    }

    [Fact]
    public async Task A_principal_the_server_does_not_know_is_AuthenticationFailed_for_Node_and_our_client()
    {
        Kdestroy();
        await using var ours = new MongoClient(GssapiEndToEnd.Uri(fixture.NoUsersServer, UserPassword));

        var node = fixture.Node.Error("no such user");
        var asyncError = await Assert.ThrowsAsync<MongoAuthenticationException>(
            () => ours.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1)));
        var syncError = Assert.Throws<MongoAuthenticationException>(() => ours.GetDatabase("admin").RunCommand(new BsonDocument("ping", 1)));

        Assert.True(node["code"].ToInt32() == 18, $"Node.js: {node}. {fixture.Node.Describe()}");
        Assert.Equal(18, asyncError.ServerErrorCode);
        Assert.Equal(18, syncError.ServerErrorCode);
        Assert.Equal(0, fixture.NoUsersServer.Statistics.CommandsReceived("ping"));
    }
}
