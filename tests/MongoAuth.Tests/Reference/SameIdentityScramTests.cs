using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Users;
using MongoDB.Bson;
using Official = MongoDB.Driver;

namespace MongoAuth.Tests.Reference;

/// <summary>
/// Our client and the official MongoDB.Driver against the same test server and the same SCRAM users: both must see
/// the same authInfo, and both must fail on a wrong password. If they disagree, the test server is suspect first.
/// </summary>
public sealed class SameIdentityScramTests
{
    private const string Password = "correct horse";

    private static async Task<MongoTestServer> StartAsync(bool tls)
    {
        var server = await OfficialDriver.StartServerAsync(tls);
        server.Users.AddScramUser("admin", "alice", Password, [new GrantedRole("root", "admin"), new GrantedRole("read", "app")]);
        server.Users.AddScramUser("app", "legacy", Password, [new GrantedRole("readWrite", "app")], [ScramMechanismNames.Sha1]);
        return server;
    }

    private static MongoClient Ours(MongoTestServer server, string user, string password, string? mechanism, string? source, bool tls)
    {
        var options = new List<string> { "directConnection=true" };
        if (mechanism is not null)
        {
            options.Add($"authMechanism={mechanism}");
        }

        if (source is not null)
        {
            options.Add($"authSource={source}");
        }

        if (tls)
        {
            options.Add("tls=true");
            options.Add("tlsAllowInvalidCertificates=true"); // throwaway server certificate, as for the official driver
        }

        var uri = $"mongodb://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@127.0.0.1:{server.Port}/?{string.Join('&', options)}";
        return new MongoClient(uri);
    }

    private static string OfficialOptions(string? mechanism, string? source) =>
        string.Join('&', new[] { mechanism is null ? null : $"authMechanism={mechanism}", source is null ? null : $"authSource={source}" }
            .Where(o => o is not null));

    [Theory]
    [InlineData("alice", "SCRAM-SHA-256", null, false)]
    [InlineData("alice", "SCRAM-SHA-1", null, false)]
    [InlineData("alice", null, null, false)]
    [InlineData("alice", null, null, true)]
    [InlineData("legacy", null, "app", false)] // negotiation falls back to SCRAM-SHA-1 for a SHA-1-only user
    [InlineData("legacy", "SCRAM-SHA-1", "app", true)]
    public async Task Both_clients_see_the_same_authInfo(string user, string? mechanism, string? source, bool tls)
    {
        await using var server = await StartAsync(tls);
        await using var ours = Ours(server, user, Password, mechanism, source, tls);
        using var official = OfficialDriver.Connect(server, $"{user}:correct%20horse", OfficialOptions(mechanism, source), tls);

        var ourStatus = await ours.GetDatabase("admin").RunCommandAsync(new BsonDocument("connectionStatus", 1));
        var officialStatus = await OfficialDriver.RunAsync(official, "connectionStatus");

        Assert.Equal(user, ourStatus["authInfo"]["authenticatedUsers"][0]["user"].AsString);
        Assert.Equal(officialStatus["authInfo"], ourStatus["authInfo"]);
    }

    [Theory]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-1")]
    [InlineData(null)]
    public async Task Both_clients_fail_on_a_wrong_password(string? mechanism)
    {
        await using var server = await StartAsync(tls: false);
        await using var ours = Ours(server, "alice", "wrong horse", mechanism, null, tls: false);
        using var official = OfficialDriver.Connect(server, "alice:wrong%20horse", OfficialOptions(mechanism, null), tls: false);

        var ourError = await Assert.ThrowsAsync<MongoAuthenticationException>(
            () => ours.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1)));
        await Assert.ThrowsAsync<Official.MongoAuthenticationException>(() => OfficialDriver.RunAsync(official, "ping"));

        Assert.Equal(18, ourError.ServerErrorCode);
        Assert.DoesNotContain("wrong horse", ourError.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Statistics.CommandsReceived("ping"));
    }
}
