using MongoAuth.Authentication.Oidc;
using MongoAuth.TestServer.Authentication.Oidc;
using MongoAuth.TestServer.FailPoints;
using MongoAuth.Tests.Support;
using MongoDB.Bson;

namespace MongoAuth.Tests.Oidc;

/// <summary>
/// The human (workforce) flow end to end: the two-step conversation with the server's IdP information, the refresh
/// token handed back on reauthentication, the restart when a refreshed token is refused, and ALLOWED_HOSTS checked
/// before any callback, in both modes.
/// </summary>
public sealed class OidcHumanFlowTests
{
    [Theory, BothModes]
    public async Task The_two_step_conversation_gives_the_callback_the_IdP_information(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new RecordingCallback((_, _) => new OidcToken(server.Token(), TimeSpan.FromHours(1), "refresh-1"));
        await using var client = new MongoClient(server.Settings(callback, human: true, username: "alice@example.com"));

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal(OidcTestServer.User, Assert.Single(status.AuthenticatedUsers).User);
        var call = Assert.Single(callback.Calls);
        Assert.Equal(new OidcIdpInfo(server.Issuer.Issuer, "mongoauth-human-client", ["openid"]).ToString(), call.IdpInfo?.ToString());
        Assert.Null(call.RefreshToken);
        Assert.Equal("alice@example.com", call.Username);
        Assert.Equal(TimeSpan.FromMinutes(5), call.Timeout);
        Assert.Equal(1, server.SaslStarts);
        Assert.Equal(1, server.Server.Statistics.CommandsReceived("saslContinue"));
    }

    [Theory, BothModes]
    public async Task Reauthentication_hands_the_refresh_token_back_and_skips_the_two_step(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new RecordingCallback((n, _) => new OidcToken(server.Token(), null, $"refresh-{n}"));
        await using var client = new MongoClient(server.Settings(callback, human: true));
        await client.PingIn(mode);

        server.Server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], Times = 1, ErrorCode = 391 });
        await client.PingIn(mode);

        Assert.Equal(2, callback.CallCount);
        var second = callback.Calls.ToArray()[1];
        Assert.Equal("refresh-1", second.RefreshToken);
        Assert.Equal(server.Issuer.Issuer, second.IdpInfo?.Issuer);
        Assert.Equal(2, server.SaslStarts);
        Assert.Equal(1, server.Server.Statistics.CommandsReceived("saslContinue")); // the reauthentication was one step
    }

    [Theory, BothModes]
    public async Task A_refused_refreshed_token_restarts_with_the_two_step_and_no_refresh_token(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new RecordingCallback((n, _) => new OidcToken(
            n == 2 ? server.Issuer.CreateToken(OidcTestServer.User, audience: "api://revoked") : server.Token(), null, $"refresh-{n}"));
        await using var client = new MongoClient(server.Settings(callback, human: true));
        await client.PingIn(mode);

        server.Server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], Times = 1, ErrorCode = 391 });
        await client.PingIn(mode);

        var calls = callback.Calls.ToArray();
        Assert.Equal(3, calls.Length);
        Assert.Equal("refresh-1", calls[1].RefreshToken);
        Assert.Null(calls[2].RefreshToken); // a new two-step never gets the old refresh token
        Assert.NotNull(calls[2].IdpInfo);
        Assert.Equal(2, server.Server.Statistics.CommandsReceived("saslContinue"));
    }

    [Theory, BothModes]
    public async Task A_machine_IdP_without_a_client_id_gives_the_callback_none(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync(clientId: null);
        var callback = new RecordingCallback((_, _) => new OidcToken(server.Token()));
        await using var client = new MongoClient(server.Settings(callback, human: true));

        await client.PingIn(mode);

        Assert.Null(Assert.Single(callback.Calls).IdpInfo?.ClientId);
    }

    [Theory, BothModes]
    public async Task A_host_outside_ALLOWED_HOSTS_is_refused_before_the_callback_runs(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new RecordingCallback((_, _) => new OidcToken(server.Token()));
        await using var client = new MongoClient(server.Settings(callback, human: true, allowedHosts: ["*.mongodb.net", "db.example.com"]));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.PingIn(mode));

        Assert.Contains("'127.0.0.1' is not in ALLOWED_HOSTS", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, callback.CallCount);
        Assert.Equal(0, server.SaslStarts);
    }

    [Theory]
    [InlineData("cluster0.abcde.mongodb.net", true)]
    [InlineData("a.b.c.mongodb.net", true)] // any depth
    [InlineData("mongodb.net", false)] // the wildcard needs a subdomain
    [InlineData("evilmongodb.net", false)]
    [InlineData("LOCALHOST", true)]
    [InlineData("::1", true)]
    [InlineData("[::1]", true)]
    [InlineData("127.0.0.2", false)]
    [InlineData("x.mongo.com", true)]
    public void The_default_ALLOWED_HOSTS_match_as_the_spec_says(string host, bool allowed) =>
        Assert.Equal(allowed, AllowedHosts.Allows(AllowedHosts.Default, host));

    [Fact]
    public void ALLOWED_HOSTS_cannot_come_from_the_connection_string()
    {
        var error = Assert.Throws<MongoConfigurationException>(() =>
            MongoClientSettings.FromConnectionString("mongodb://127.0.0.1/?authMechanism=MONGODB-OIDC&authMechanismProperties=ALLOWED_HOSTS:example.com"));

        Assert.Contains("only from code", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_answers_a_payload_without_a_jwt_with_its_IdP_information()
    {
        await using var issuer = new TestOidcIssuer();
        using var mechanism = new OidcServerMechanism(new OidcServerOptions { Issuer = issuer.Issuer, Audience = "a", ClientId = "c", RequestScopes = ["openid", "offline_access"] }, new MongoAuth.TestServer.Users.TestUserStore());

        var step = await mechanism.Start(new MongoAuth.TestServer.Authentication.ServerConversationContext(null, "$external", false))
            .StepAsync(new MongoDB.Bson.BsonDocument("n", "alice").ToBson(), CancellationToken.None);

        Assert.False(step.Done);
        var info = MongoDB.Bson.Serialization.BsonSerializer.Deserialize<MongoDB.Bson.BsonDocument>(step.Payload.ToArray());
        Assert.Equal(issuer.Issuer, info["issuer"].AsString);
        Assert.Equal("c", info["clientId"].AsString);
        Assert.Equal(["openid", "offline_access"], info["requestScopes"].AsBsonArray.Select(s => s.AsString));
    }
}
