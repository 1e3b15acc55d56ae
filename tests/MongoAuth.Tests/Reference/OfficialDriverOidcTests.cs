using MongoAuth.TestServer.FailPoints;
using MongoAuth.Tests.Oidc;
using MongoDB.Bson;
using Official = MongoDB.Driver;
using OfficialOidc = MongoDB.Driver.Authentication.Oidc;

namespace MongoAuth.Tests.Reference;

/// <summary>
/// The official driver's MONGODB-OIDC (machine callback) against the test server: it authenticates with a token from
/// the in-process issuer, sees the same identity as our client, and reauthenticates after 391 on the same
/// connection. Keeps the server's OIDC side honest against a client no one here wrote. ENVIRONMENT:test reads
/// OIDC_TOKEN_FILE from the process environment, so that case runs in a child process (<see cref="OidcProbe"/>).
/// </summary>
public sealed class OfficialDriverOidcTests
{
    private sealed class Callback(Func<string> token) : OfficialOidc.IOidcCallback
    {
        public int Calls;

        public OfficialOidc.OidcAccessToken GetOidcAccessToken(OfficialOidc.OidcCallbackParameters parameters, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return new OfficialOidc.OidcAccessToken(token(), TimeSpan.FromHours(1));
        }

        public Task<OfficialOidc.OidcAccessToken> GetOidcAccessTokenAsync(OfficialOidc.OidcCallbackParameters parameters, CancellationToken cancellationToken) =>
            Task.FromResult(GetOidcAccessToken(parameters, cancellationToken));
    }

    private static Official.MongoClient Connect(OidcTestServer server, Callback callback)
    {
        var settings = Official.MongoClientSettings.FromConnectionString(
            $"mongodb://127.0.0.1:{server.Server.Port}/?directConnection=true&serverSelectionTimeoutMS=10000&connectTimeoutMS=10000&retryReads=false");
        settings.Credential = Official.MongoCredential.CreateOidcCredential(callback);
        return new Official.MongoClient(settings);
    }

    [Fact]
    public async Task The_official_driver_authenticates_with_a_callback_token_and_sees_the_same_identity_as_ours()
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new Callback(() => server.Token());
        using var official = Connect(server, callback);

        var identity = await OfficialDriver.IdentityAsync(official);
        await using var ours = new MongoClient(server.Settings(new RecordingCallback((_, _) => new MongoAuth.Authentication.Oidc.OidcToken(server.Token()))));
        var status = await ours.GetConnectionStatusAsync();

        Assert.Equal(new BsonDocument { { "user", OidcTestServer.User }, { "db", "$external" } }, identity);
        Assert.Equal(new MongoAuthenticatedUser(identity["user"].AsString, identity["db"].AsString), Assert.Single(status.AuthenticatedUsers));
        Assert.True(callback.Calls >= 1);
        Assert.True(server.Mechanism.VerifiedTokens >= 2);
    }

    [Fact]
    public async Task The_official_driver_reauthenticates_after_391_and_retries_the_command()
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new Callback(() => server.Token());
        using var official = Connect(server, callback);
        await OfficialDriver.RunAsync(official, "ping");
        var saslStarts = server.SaslStarts;
        var verified = server.Mechanism.VerifiedTokens;

        server.Server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], Times = 1, ErrorCode = 391 });
        var ping = await OfficialDriver.RunAsync(official, "ping");

        Assert.Equal(1.0, ping["ok"].ToDouble());
        Assert.Equal(saslStarts + 1, server.SaslStarts);
        Assert.Equal(verified + 1, server.Mechanism.VerifiedTokens);
    }

    [Fact]
    public async Task The_official_driver_is_refused_a_token_for_another_audience()
    {
        await using var server = await OidcTestServer.StartAsync();
        using var official = Connect(server, new Callback(() => server.Issuer.CreateToken(OidcTestServer.User, audience: "api://other")));

        var error = await Assert.ThrowsAnyAsync<Official.MongoException>(() => OfficialDriver.RunAsync(official, "ping"));

        Assert.Contains("the audience (aud) is not the server's", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_ENVIRONMENT_test_the_official_driver_and_ours_read_the_same_token_file_and_see_the_same_identity()
    {
        await using var server = await OidcTestServer.StartAsync();
        var tokenFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokenFile, server.Issuer.CreateToken("token-file-workload") + "\n");
        try
        {
            var outcome = await OidcProbe.RunAsync("official-test", server.Server.Port, null, new Dictionary<string, string> { ["OIDC_TOKEN_FILE"] = tokenFile });

            OidcProbe.AssertUser(outcome, "token-file-workload", "sync", "async", "officialSync", "officialAsync");
            // Ours: one conversation per new client. The official driver may share a cluster (and its pooled,
            // authenticated connection) between equal clients, so it verifies at least one.
            Assert.True(server.Mechanism.VerifiedTokens >= 3, $"{server.Mechanism.VerifiedTokens} tokens verified");
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task With_ENVIRONMENT_test_and_an_expired_token_file_both_drivers_are_refused()
    {
        await using var server = await OidcTestServer.StartAsync();
        var tokenFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokenFile, server.Issuer.CreateToken("token-file-workload", lifetime: TimeSpan.FromMinutes(-5)));
        try
        {
            var outcome = await OidcProbe.RunAsync("official-test", server.Server.Port, null, new Dictionary<string, string> { ["OIDC_TOKEN_FILE"] = tokenFile });

            foreach (var mode in new[] { "sync", "async", "officialSync", "officialAsync" })
            {
                Assert.True(outcome[mode].IsBsonDocument, $"{mode}: {outcome}");
                Assert.Contains("expired", outcome[mode]["message"].AsString, StringComparison.OrdinalIgnoreCase);
            }
            Assert.Equal(0, server.Mechanism.VerifiedTokens);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }
}
