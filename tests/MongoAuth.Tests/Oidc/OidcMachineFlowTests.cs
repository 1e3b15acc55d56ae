using MongoAuth.Authentication.Oidc;
using MongoAuth.TestServer.FailPoints;
using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.Oidc;

/// <summary>
/// The machine flow end to end against the test server's MONGODB-OIDC (real JWT verification against an in-process
/// issuer): the callback's parameters, the client cache, speculative authentication with a cached token, the retry
/// after a refused cached token, and reauthentication after 391, in both modes.
/// </summary>
public sealed class OidcMachineFlowTests
{
    [Theory, BothModes]
    public async Task A_callback_token_authenticates_the_principal_and_the_callback_gets_the_spec_parameters(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new RecordingCallback((_, _) => new OidcToken(server.Token(), TimeSpan.FromHours(1)));
        await using var client = new MongoClient(server.Settings(callback, username: "app-client-id"));

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal([new MongoAuthenticatedUser(OidcTestServer.User, "$external")], status.AuthenticatedUsers);
        var call = Assert.Single(callback.Calls);
        Assert.Equal(1, call.Version);
        Assert.Equal("app-client-id", call.Username);
        Assert.Null(call.IdpInfo);
        Assert.Null(call.RefreshToken);
        // connectTimeoutMS (10 s) bounds the callback here, below the one-minute cap.
        Assert.InRange(call.Timeout, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.Equal([mode == Mode.Sync], callback.Synchronous);
    }

    [Theory, BothModes]
    public async Task Later_connections_reuse_the_cached_token_speculatively_without_calling_the_callback(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new RecordingCallback((_, _) => new OidcToken(server.Token()));
        await using var client = new MongoClient(server.Settings(callback));
        await client.PingIn(mode);
        Assert.Equal(1, server.SaslStarts);

        // A failed ping closes the first connection, so the next operation opens a new one.
        server.Server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], Times = 1, CloseConnection = true });
        await Assert.ThrowsAnyAsync<MongoException>(() => client.PingIn(mode));
        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal(OidcTestServer.User, Assert.Single(status.AuthenticatedUsers).User);
        Assert.Equal(2, server.Server.Statistics.ConnectionsAccepted);
        Assert.Equal(1, server.SaslStarts); // the second connection authenticated inside hello
        Assert.Equal(2, server.Mechanism.VerifiedTokens);
        Assert.Equal(1, callback.CallCount);
    }

    [Theory, BothModes]
    public async Task Connections_opening_together_cause_one_callback_call(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new RecordingCallback((_, _) => new OidcToken(server.Token())) { Delay = TimeSpan.FromMilliseconds(300) };
        await using var client = new MongoClient(server.Settings(callback, options: "&maxConnecting=4"));
        // Each ping holds its connection for a while, so the pool opens several at once.
        server.Server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], Times = 8, BlockTime = TimeSpan.FromMilliseconds(300) });

        await ModeExtensions.Concurrently(6, () => client.PingIn(mode));

        Assert.True(server.Server.Statistics.ConnectionsAccepted >= 2, $"{server.Server.Statistics.ConnectionsAccepted} connections");
        Assert.Equal(1, callback.CallCount);
        Assert.False(callback.Overlapped);
    }

    [Theory, BothModes]
    public async Task After_391_the_connection_reauthenticates_with_a_new_token_and_the_command_is_retried_once(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new RecordingCallback((_, _) => new OidcToken(server.Token()));
        await using var client = new MongoClient(server.Settings(callback));
        await client.PingIn(mode);

        server.Server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], Times = 1, ErrorCode = 391 });
        var reply = await client.PingIn(mode);

        Assert.Equal(1.0, reply["ok"].ToDouble());
        Assert.Equal(2, callback.CallCount); // the connection's token was invalidated
        Assert.Equal(2, server.SaslStarts); // SASL only: no second hello on that connection
        Assert.Equal(1, server.Server.Statistics.ConnectionsAccepted);
        Assert.Equal(3, server.Server.Statistics.CommandsReceived("ping"));
    }

    [Theory, BothModes]
    public async Task A_second_391_after_reauthentication_reaches_the_caller(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new RecordingCallback((_, _) => new OidcToken(server.Token()));
        await using var client = new MongoClient(server.Settings(callback));
        await client.PingIn(mode);

        server.Server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], Times = 2, ErrorCode = 391 });
        var error = await Assert.ThrowsAsync<MongoCommandException>(() => client.PingIn(mode));

        Assert.Equal(391, error.Code);
        Assert.Equal(2, server.SaslStarts);
    }

    [Theory, BothModes]
    public async Task A_token_that_expires_on_the_server_is_replaced_through_391_on_the_same_connection(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        // The first token lives 2 s and the driver is not told; later ones live an hour.
        var callback = new RecordingCallback((n, _) => new OidcToken(server.Token(n == 1 ? TimeSpan.FromSeconds(2) : null)));
        await using var client = new MongoClient(server.Settings(callback));
        await client.PingIn(mode);

        await Task.Delay(TimeSpan.FromSeconds(2.2));
        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal(OidcTestServer.User, Assert.Single(status.AuthenticatedUsers).User);
        Assert.Equal(2, callback.CallCount);
        Assert.Equal(1, server.Server.Statistics.ConnectionsAccepted);
    }

    [Theory, BothModes]
    public async Task A_cached_token_the_server_refuses_on_a_new_connection_is_replaced_once(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new RecordingCallback((n, _) => new OidcToken(server.Token(n == 1 ? TimeSpan.FromSeconds(2) : null)));
        await using var client = new MongoClient(server.Settings(callback));
        await client.PingIn(mode);
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        server.Server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], Times = 1, CloseConnection = true });
        await Assert.ThrowsAnyAsync<MongoException>(() => client.PingIn(mode));

        // New connection: the speculative token is refused (hello leaves the field out), saslStart with the cached
        // token gets 18, the token is invalidated, the callback runs once more and saslStart succeeds.
        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal(OidcTestServer.User, Assert.Single(status.AuthenticatedUsers).User);
        Assert.Equal(2, callback.CallCount);
        Assert.Equal(3, server.SaslStarts);
    }

    [Theory, BothModes]
    public async Task Commands_in_a_loop_across_several_token_expiries_never_fail(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new RecordingCallback((_, _) => new OidcToken(server.Token(TimeSpan.FromSeconds(1))));
        await using var client = new MongoClient(server.Settings(callback));
        var failures = 0;
        var done = 0;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(3.5);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (DateTime.UtcNow < until)
            {
                try
                {
                    await client.PingIn(mode);
                    Interlocked.Increment(ref done);
                }
                catch (MongoException e)
                {
                    errors.Enqueue(e.Message);
                    Interlocked.Increment(ref failures);
                }
                await Task.Delay(50);
            }
        })));

        Assert.True(failures == 0, string.Join(" | ", errors));
        Assert.True(done > 20, $"{done} operations");
        Assert.True(callback.CallCount >= 3, $"{callback.CallCount} callback calls");
        Assert.False(callback.Overlapped);
    }

    [Theory, BothModes]
    public async Task With_expiresIn_the_driver_fetches_a_new_token_before_using_an_expired_one(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new RecordingCallback((n, _) => new OidcToken(server.Token(), n == 1 ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromHours(1)));
        await using var client = new MongoClient(server.Settings(callback));
        await client.PingIn(mode);
        await Task.Delay(300);
        server.Server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], Times = 1, CloseConnection = true });
        await Assert.ThrowsAnyAsync<MongoException>(() => client.PingIn(mode));

        await client.PingIn(mode);

        Assert.Equal(2, callback.CallCount);
        Assert.Equal(2, server.SaslStarts); // no speculation with the expired token, no refused attempt
    }

    [Theory, BothModes]
    public async Task Reauthentication_covers_any_application_command(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new RecordingCallback((_, _) => new OidcToken(server.Token()));
        await using var client = new MongoClient(server.Settings(callback));
        await client.PingIn(mode);
        server.Server.ConfigureFailPoint(new FailCommand { Commands = ["connectionStatus"], Times = 1, ErrorCode = 391 });

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Single(status.AuthenticatedUsers);
        Assert.Equal(2, callback.CallCount);
    }
}
