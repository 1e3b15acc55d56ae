using System.Security.Cryptography.X509Certificates;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Plain;
using MongoAuth.TestServer.Pki;
using MongoAuth.TestServer.Tls;
using MongoAuth.TestServer.Users;
using MongoAuth.Tests.EndToEnd;
using MongoDB.Bson;
using Official = MongoDB.Driver;

namespace MongoAuth.Tests.Reference;

/// <summary>
/// Test servers for SCRAM (plain and TLS), MONGODB-X509 and in-memory PLAIN, and one Node.js run over all of their
/// scenarios; the tests compare what Node.js saw with what our client and the official C# driver see.
/// </summary>
public sealed class NodeDriverFixture : IAsyncLifetime
{
    public const string Password = "correct horse";
    public const string PlainUser = "carol";
    public const string PlainPassword = "carol's pw";

    public static readonly GrantedRole[] AliceRoles = [new("root", "admin"), new("read", "app")];

    public TestPki Pki { get; } = TestPki.Create();

    public MongoTestServer Server { get; private set; } = null!;

    public MongoTestServer TlsServer { get; private set; } = null!;

    public MongoTestServer X509Server { get; private set; } = null!;

    internal NodeRun Node { get; private set; } = null!;

    public static BsonDocument Command(string name, params (string Name, BsonValue Value)[] fields)
    {
        var command = new BsonDocument(name, 1);
        foreach (var (field, value) in fields)
        {
            command[field] = value;
        }

        return command;
    }

    public static string Uri(MongoTestServer server, string user, string password, string options) =>
        $"mongodb://{System.Uri.EscapeDataString(user)}:{System.Uri.EscapeDataString(password)}@127.0.0.1:{server.Port}/" +
        $"?directConnection=true{(options.Length == 0 ? "" : "&" + options)}";

    public async Task InitializeAsync()
    {
        Server = await StartScramAsync(null);
        Server.RegisterMechanism(new PlainServerMechanism(new LocalPlainUsers().Add(PlainUser, PlainPassword, roles: new GrantedRole("readWrite", "app"))));
        TlsServer = await StartScramAsync(SelfSignedCertificate.CreateForLoopback());
        X509Server = await X509TestServer.StartAsync(Pki, clientTrust: [Pki.Root.Certificate, Pki.Intermediate.Certificate]);

        BsonDocument[] status = [Command("connectionStatus"), Command("connectionStatus", ("showPrivileges", true))];
        const string tls = "tls=true&tlsAllowInvalidCertificates=true";
        Node = await NodeDriver.RunAsync(
            new NodeScenario("SCRAM-SHA-256", Uri(Server, "alice", Password, "authMechanism=SCRAM-SHA-256"), status),
            new NodeScenario("SCRAM-SHA-1", Uri(Server, "alice", Password, "authMechanism=SCRAM-SHA-1"), status),
            new NodeScenario("negotiated", Uri(Server, "alice", Password, ""), status),
            new NodeScenario("negotiated SHA-1 only", Uri(Server, "legacy", Password, "authSource=app"), status),
            new NodeScenario("negotiated TLS", Uri(TlsServer, "alice", Password, tls), status),
            new NodeScenario("SCRAM-SHA-1 TLS", Uri(TlsServer, "legacy", Password, "authSource=app&authMechanism=SCRAM-SHA-1&" + tls), status),
            new NodeScenario("PLAIN", Uri(Server, PlainUser, PlainPassword, "authMechanism=PLAIN&authSource=$external"), status),
            new NodeScenario("MONGODB-X509",
                $"mongodb://localhost:{X509Server.Port}/?directConnection=true&tls=true&authMechanism=MONGODB-X509" +
                $"&tlsCAFile={System.Uri.EscapeDataString(Pki.CAFile)}&tlsCertificateKeyFile={System.Uri.EscapeDataString(Pki.ClientEc.Pkcs8PemFile)}",
                status),
            new NodeScenario("wrong SCRAM password", Uri(Server, "alice", "wrong horse", ""), [Command("ping")]),
            new NodeScenario("wrong PLAIN password", Uri(Server, PlainUser, "wrong", "authMechanism=PLAIN&authSource=$external"), [Command("ping")]),
            new NodeScenario("unknown SCRAM user", Uri(Server, "mallory", Password, ""), [Command("ping")]),
            new NodeScenario("strict API", Uri(Server, "alice", Password, ""),
                [Command("ping"), Command("connectionStatus"), Command("buildInfo")],
                new BsonDocument("serverApi", new BsonDocument { { "version", "1" }, { "strict", true }, { "deprecationErrors", true } })),
            new NodeScenario("lenient API", Uri(Server, "alice", Password, ""), [Command("connectionStatus"), Command("buildInfo")],
                new BsonDocument("serverApi", new BsonDocument("version", "1"))),
            new NodeScenario("hello", Uri(Server, "alice", Password, ""), [Command("hello")]));
    }

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { Server, TlsServer, X509Server })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        Pki.Dispose();
    }

    private static async Task<MongoTestServer> StartScramAsync(X509Certificate2? certificate)
    {
        var server = await MongoTestServer.StartAsync(new TestServerOptions { TlsCertificate = certificate }, default);
        server.Users.AddScramUser("admin", "alice", Password, AliceRoles);
        server.Users.AddScramUser("app", "legacy", Password, [new GrantedRole("readWrite", "app")], [ScramMechanismNames.Sha1]);
        return server;
    }
}

/// <summary>
/// The official Node.js driver against the test server: every mechanism it serves without an external backend, wrong
/// credentials, and the versioned API. Node.js must see the same users, roles and privileges as our client (sync and
/// async) and the official C# driver; a disagreement puts the test server under suspicion first.
/// </summary>
public sealed class NodeDriverTests(NodeDriverFixture fixture) : IClassFixture<NodeDriverFixture>
{
    private NodeRun Node => fixture.Node;

    public static TheoryData<string, string, string, bool> SaslScenarios => new()
    {
        // scenario, user, URI options (both drivers), TLS
        { "SCRAM-SHA-256", "alice", "authMechanism=SCRAM-SHA-256", false },
        { "SCRAM-SHA-1", "alice", "authMechanism=SCRAM-SHA-1", false },
        { "negotiated", "alice", "", false },
        { "negotiated SHA-1 only", "legacy", "authSource=app", false },
        { "negotiated TLS", "alice", "", true },
        { "SCRAM-SHA-1 TLS", "legacy", "authSource=app&authMechanism=SCRAM-SHA-1", true },
        { "PLAIN", NodeDriverFixture.PlainUser, "authMechanism=PLAIN&authSource=$external", false },
    };

    [Theory]
    [MemberData(nameof(SaslScenarios))]
    public async Task Node_sees_the_users_roles_and_privileges_our_client_and_the_official_driver_see(
        string scenario, string user, string options, bool tls)
    {
        var server = tls ? fixture.TlsServer : fixture.Server;
        var password = user == NodeDriverFixture.PlainUser ? NodeDriverFixture.PlainPassword : NodeDriverFixture.Password;
        await using var ours = new MongoClient(NodeDriverFixture.Uri(server, user, password,
            string.Join('&', new[] { options, tls ? "tls=true&tlsAllowInvalidCertificates=true" : "" }.Where(o => o.Length > 0))));
        using var official = OfficialDriver.Connect(server, $"{System.Uri.EscapeDataString(user)}:{System.Uri.EscapeDataString(password)}", options, tls);

        await AssertSameAsync(scenario, ours, official);
        Assert.Equal(user, Node.AuthInfo(scenario)["authenticatedUsers"][0]["user"].AsString);
    }

    [Fact]
    public async Task Node_sees_the_x509_subject_our_client_and_the_official_driver_see()
    {
        var pki = fixture.Pki;
        var server = fixture.X509Server;
        await using var ours = new MongoClient(X509TestServer.ConnectionString(server, pki.CAFile, pki.ClientEc.Pkcs8PemFile, options: "directConnection=true"));
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(pki.ClientEc.Pkcs12File, pki.Password);
        var settings = Official.MongoClientSettings.FromConnectionString(
            $"mongodb://localhost:{server.Port}/?tls=true&authMechanism=MONGODB-X509&directConnection=true&serverSelectionTimeoutMS=10000");
        // The server certificate chains to the throwaway PKI root; X509ReferenceTests checks that chain, this test the identity.
        settings.SslSettings = new Official.SslSettings { ClientCertificates = [certificate], ServerCertificateValidationCallback = (_, _, _, _) => true };
        using var official = new Official.MongoClient(settings);

        await AssertSameAsync("MONGODB-X509", ours, official);
        Assert.Equal(X509TestServer.External(pki.ClientEc), Node.AuthInfo("MONGODB-X509")["authenticatedUsers"][0]);
    }

    [Theory]
    [InlineData("wrong SCRAM password", "alice", "wrong horse", "")]
    [InlineData("unknown SCRAM user", "mallory", NodeDriverFixture.Password, "")]
    [InlineData("wrong PLAIN password", NodeDriverFixture.PlainUser, "wrong", "authMechanism=PLAIN&authSource=$external")]
    public async Task Wrong_credentials_are_AuthenticationFailed_for_all_three_clients(string scenario, string user, string password, string options)
    {
        var server = fixture.Server;
        var pingsBefore = server.Statistics.CommandsReceived("ping");
        await using var ours = new MongoClient(NodeDriverFixture.Uri(server, user, password, options));
        using var official = OfficialDriver.Connect(server, $"{user}:{System.Uri.EscapeDataString(password)}", options, tls: false);

        var node = Node.Error(scenario);
        var asyncError = await Assert.ThrowsAsync<MongoAuthenticationException>(
            () => ours.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1)));
        var syncError = Assert.Throws<MongoAuthenticationException>(() => ours.GetDatabase("admin").RunCommand(new BsonDocument("ping", 1)));
        await Assert.ThrowsAsync<Official.MongoAuthenticationException>(() => OfficialDriver.RunAsync(official, "ping"));

        Assert.True(node["code"].ToInt32() == 18, $"Node.js: {node}. {Node.Describe()}");
        Assert.Equal("AuthenticationFailed", node["codeName"].AsString);
        Assert.Equal(18, asyncError.ServerErrorCode);
        Assert.Equal(18, syncError.ServerErrorCode);
        Assert.DoesNotContain(password, node.ToString(), StringComparison.Ordinal);
        Assert.Equal(pingsBefore, server.Statistics.CommandsReceived("ping"));
    }

    [Fact]
    public async Task Strict_API_version_1_refuses_commands_outside_it_for_Node_and_the_official_driver()
    {
        // The official driver is the reference for the Stable API: with ServerApi it must open with hello (never the
        // legacy isMaster, which API version 1 does not contain) and get mongod's APIStrictError for the rest.
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        server.Users.AddScramUser("admin", "alice", NodeDriverFixture.Password, NodeDriverFixture.AliceRoles);
        var settings = Official.MongoClientSettings.FromConnectionString(
            NodeDriverFixture.Uri(server, "alice", NodeDriverFixture.Password, "serverSelectionTimeoutMS=10000"));
        settings.ServerApi = new Official.ServerApi(Official.ServerApiVersion.V1, strict: true, deprecationErrors: true);
        using var official = new Official.MongoClient(settings);

        var ping = await OfficialDriver.RunAsync(official, "ping");
        var refused = await Assert.ThrowsAsync<Official.MongoCommandException>(() => OfficialDriver.RunAsync(official, "connectionStatus"));

        Assert.Equal(1.0, ping["ok"].ToDouble());
        Assert.Equal(323, refused.Code);
        Assert.Equal("APIStrictError", refused.CodeName);
        Assert.Equal(0, server.Statistics.CommandsReceived("isMaster"));
        Assert.True(server.Statistics.CommandsReceived("hello") >= 1);

        Assert.Equal(1, Node.Reply("strict API", 0)["ok"].ToInt32());
        Assert.Equal(323, Node.Error("strict API", 1)["code"].ToInt32());
        Assert.Equal("APIStrictError", Node.Error("strict API", 2)["codeName"].AsString);
    }

    [Fact]
    public async Task Lenient_API_version_1_runs_every_command_for_Node_and_the_official_driver()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        server.Users.AddScramUser("admin", "alice", NodeDriverFixture.Password, NodeDriverFixture.AliceRoles);
        var settings = Official.MongoClientSettings.FromConnectionString(
            NodeDriverFixture.Uri(server, "alice", NodeDriverFixture.Password, "serverSelectionTimeoutMS=10000"));
        settings.ServerApi = new Official.ServerApi(Official.ServerApiVersion.V1);
        using var official = new Official.MongoClient(settings);

        var status = await OfficialDriver.RunAsync(official, "connectionStatus");
        var buildInfo = await OfficialDriver.RunAsync(official, "buildInfo");

        Assert.Equal(status["authInfo"], Node.AuthInfo("lenient API"));
        Assert.Equal(buildInfo["modules"], Node.Reply("lenient API", 1)["modules"]);
        Assert.Equal(new BsonArray { "enterprise" }, buildInfo["modules"]);
    }

    [Fact]
    public async Task The_official_driver_monitors_the_server_with_the_streaming_protocol()
    {
        // hello's topologyVersion makes the official driver's monitor switch to awaitable hellos with exhaust; the
        // server must serve that stream (an immediate answer would make the monitor spin).
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        server.Users.AddScramUser("admin", "alice", NodeDriverFixture.Password, NodeDriverFixture.AliceRoles);
        using var official = OfficialDriver.Connect(server, "alice:correct%20horse", "heartbeatFrequencyMS=500", tls: false);

        await OfficialDriver.RunAsync(official, "ping");
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (server.Statistics.ExhaustStreamsStarted == 0 && !limit.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None);
        }

        Assert.True(server.Statistics.ExhaustStreamsStarted >= 1, $"commands: {string.Join(", ", server.Statistics.Commands)}");
        Assert.Equal(1.0, (await OfficialDriver.RunAsync(official, "ping"))["ok"].ToDouble());
    }

    [Fact]
    public void Node_sees_a_standalone_with_a_topologyVersion_and_a_connectionId()
    {
        var hello = Node.Reply("hello");

        Assert.True(hello["isWritablePrimary"].AsBoolean, Node.Describe());
        Assert.Equal(BsonType.ObjectId, hello["topologyVersion"]["processId"].BsonType);
        Assert.True(hello["connectionId"].IsInt32, Node.Describe());
    }

    /// <summary>
    /// Node's connectionStatus (plain and with showPrivileges) equals ours, run async and sync, and the official
    /// driver's.
    /// </summary>
    private async Task AssertSameAsync(string scenario, MongoClient ours, Official.MongoClient official)
    {
        var node = Node.AuthInfo(scenario);
        var nodePrivileges = Node.AuthInfo(scenario, 1);
        var showPrivileges = new BsonDocument { { "connectionStatus", 1 }, { "showPrivileges", true } };
        var oursAsync = (await ours.GetDatabase("admin").RunCommandAsync(new BsonDocument("connectionStatus", 1)))["authInfo"];
        var oursSync = ours.GetDatabase("admin").RunCommand(showPrivileges)["authInfo"];
        var theirs = (await official.GetDatabase("admin").RunCommandAsync<BsonDocument>(showPrivileges))["authInfo"];

        Assert.True(node.Equals(oursAsync), $"ours: {oursAsync}\n{Node.Describe()}");
        Assert.True(nodePrivileges.Equals(oursSync), $"ours: {oursSync}\n{Node.Describe()}");
        Assert.True(nodePrivileges.Equals(theirs), $"official: {theirs}\n{Node.Describe()}");
        Assert.NotEmpty(node["authenticatedUsers"].AsBsonArray);
        // Every user here has a role, so mongod would list privileges when asked.
        Assert.True(nodePrivileges.GetValue("authenticatedUserPrivileges", new BsonArray()).AsBsonArray.Count > 0, Node.Describe());
    }
}
