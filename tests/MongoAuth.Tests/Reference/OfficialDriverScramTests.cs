using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Scram;
using MongoAuth.TestServer.Users;
using MongoDB.Bson;
using Official = MongoDB.Driver;

namespace MongoAuth.Tests.Reference;

/// <summary>
/// The official MongoDB.Driver, which no one here wrote, authenticating against the test server's SCRAM users:
/// SCRAM-SHA-1, SCRAM-SHA-256 and default negotiation, over TCP and TLS.
/// </summary>
public sealed class OfficialDriverScramTests
{
    private static async Task<MongoTestServer> StartAsync(bool tls)
    {
        var server = await OfficialDriver.StartServerAsync(tls);
        server.Users.AddScramUser("admin", "alice", "correct horse", [new GrantedRole("root", "admin")]);
        server.Users.AddScramUser("app", "legacy", "battery staple", [new GrantedRole("readWrite", "app")],
            [ScramMechanismNames.Sha1]);
        return server;
    }

    private static string MechanismOption(string? mechanism) => mechanism is null ? "" : $"authMechanism={mechanism}";

    [Theory]
    [InlineData("SCRAM-SHA-1", false)]
    [InlineData("SCRAM-SHA-256", false)]
    [InlineData(null, false)]
    [InlineData("SCRAM-SHA-1", true)]
    [InlineData("SCRAM-SHA-256", true)]
    [InlineData(null, true)]
    public async Task The_official_driver_authenticates_and_sees_the_stored_identity(string? mechanism, bool tls)
    {
        await using var server = await StartAsync(tls);
        using var client = OfficialDriver.Connect(server, "alice:correct%20horse", MechanismOption(mechanism), tls);

        var ping = await OfficialDriver.RunAsync(client, "ping");
        var identity = await OfficialDriver.IdentityAsync(client);
        var status = await OfficialDriver.RunAsync(client, "connectionStatus");

        Assert.Equal(1.0, ping["ok"].ToDouble());
        Assert.Equal(new BsonDocument { { "user", "alice" }, { "db", "admin" } }, identity);
        Assert.Equal(new BsonDocument { { "role", "root" }, { "db", "admin" } },
            Assert.Single(status["authInfo"]["authenticatedUserRoles"].AsBsonArray));
    }

    [Theory]
    [InlineData("SCRAM-SHA-1")]
    [InlineData("SCRAM-SHA-256")]
    [InlineData(null)]
    public async Task A_wrong_password_fails_in_the_official_driver(string? mechanism)
    {
        await using var server = await StartAsync(tls: false);
        using var client = OfficialDriver.Connect(server, "alice:wrong%20horse", MechanismOption(mechanism), tls: false);

        var error = await Assert.ThrowsAsync<Official.MongoAuthenticationException>(() => OfficialDriver.RunAsync(client, "ping"));

        Assert.Equal(0, server.Statistics.CommandsReceived("ping"));
        Assert.DoesNotContain("wrong horse", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_user_fails_like_a_wrong_password()
    {
        await using var server = await StartAsync(tls: false);
        using var client = OfficialDriver.Connect(server, "mallory:x", "authMechanism=SCRAM-SHA-256", tls: false);

        await Assert.ThrowsAsync<Official.MongoAuthenticationException>(() => OfficialDriver.RunAsync(client, "ping"));
    }

    [Fact]
    public async Task Negotiation_falls_back_to_SHA1_for_a_user_stored_without_SHA256()
    {
        await using var server = await StartAsync(tls: false);
        using var client = OfficialDriver.Connect(server, "legacy:battery%20staple", "authSource=app", tls: false);

        var identity = await OfficialDriver.IdentityAsync(client);

        Assert.Equal(new BsonDocument { { "user", "legacy" }, { "db", "app" } }, identity);
    }

    [Fact]
    public async Task Negotiation_speculates_SHA256_inside_the_handshake()
    {
        await using var server = await StartAsync(tls: false);
        using var client = OfficialDriver.Connect(server, "alice:correct%20horse", "", tls: false);

        await OfficialDriver.RunAsync(client, "ping");

        // The first SCRAM step rode in the handshake's speculativeAuthenticate: no separate saslStart was needed.
        Assert.Equal(0, server.Statistics.CommandsReceived("saslStart"));
        Assert.True(server.Statistics.CommandsReceived("saslContinue") >= 1);
    }

    [Fact]
    public async Task SHA256_passwords_are_compared_after_SASLprep()
    {
        await using var server = await StartAsync(tls: false);
        server.Users.AddScramUser("admin", "prep", "IX", mechanisms: [ScramMechanismNames.Sha256]);
        // U+00AD (soft hyphen) maps to nothing in SASLprep, so "I\u00ADX" is the same password as "IX".
        using var client = OfficialDriver.Connect(server, "prep:I%C2%ADX", "authMechanism=SCRAM-SHA-256", tls: false);

        var identity = await OfficialDriver.IdentityAsync(client);

        Assert.Equal("prep", identity["user"].AsString);
    }

    [Fact]
    public async Task A_registered_mechanism_replaces_the_default_one_the_driver_then_refuses_a_forged_signature()
    {
        await using var server = await StartAsync(tls: false);
        server.RegisterMechanism(new ScramServerMechanism(ScramMechanismNames.Sha256, server.Users.FindScramAccount)
        {
            TestOptions = new ScramServerTestOptions { TamperServerSignature = true },
        });
        using var client = OfficialDriver.Connect(server, "alice:correct%20horse", "authMechanism=SCRAM-SHA-256", tls: false);

        // MongoDB.Driver 3.14 refuses the signature but then trips over its own retry check (a NullReferenceException
        // from RetryabilityHelper), so only "the command never ran" is asserted, not the exception type.
        await Assert.ThrowsAnyAsync<Exception>(() => OfficialDriver.RunAsync(client, "ping"));
        Assert.Equal(0, server.Statistics.CommandsReceived("ping"));
        Assert.True(server.Statistics.CommandsReceived("saslContinue") >= 1);
    }
}
