using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Plain;
using MongoDB.Bson;
using Official = MongoDB.Driver;

namespace MongoAuth.Tests.Reference;

/// <summary>
/// The official driver against the test server with the in-memory PLAIN server half: its legacy OP_QUERY handshake
/// and OP_QUERY saslStart, then OP_MSG ping and connectionStatus, over TCP and TLS.
/// </summary>
public sealed class OfficialDriverPlainTests
{
    private static async Task<MongoTestServer> StartAsync(bool tls)
    {
        var server = await OfficialDriver.StartServerAsync(tls);
        server.RegisterMechanism(new PlainServerMechanism(
            new LocalPlainUsers().Add("ldapuser", "right", roles: new GrantedRole("read", "test"))));
        return server;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_official_driver_authenticates_pings_and_sees_its_identity(bool tls)
    {
        await using var server = await StartAsync(tls);
        using var client = OfficialDriver.Connect(server, "ldapuser:right", "authMechanism=PLAIN&authSource=$external", tls);

        var ping = await OfficialDriver.RunAsync(client, "ping");
        var identity = await OfficialDriver.IdentityAsync(client);

        Assert.Equal(1.0, ping["ok"].ToDouble());
        Assert.Equal(new BsonDocument { { "user", "ldapuser" }, { "db", "$external" } }, identity);
        Assert.True(server.Statistics.CommandsReceived("isMaster") + server.Statistics.CommandsReceived("hello") >= 1);
        Assert.True(server.Statistics.CommandsReceived("saslStart") >= 1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_wrong_password_fails_in_the_official_driver(bool tls)
    {
        await using var server = await StartAsync(tls);
        using var client = OfficialDriver.Connect(server, "ldapuser:wrong", "authMechanism=PLAIN&authSource=$external", tls);

        var error = await Assert.ThrowsAsync<Official.MongoAuthenticationException>(() => OfficialDriver.RunAsync(client, "ping"));

        Assert.DoesNotContain("wrong", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Statistics.CommandsReceived("ping"));
    }
}
