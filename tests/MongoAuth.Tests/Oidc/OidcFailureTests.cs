using System.Diagnostics;
using MongoAuth.Authentication.Oidc;
using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.Oidc;

/// <summary>
/// What reaches the caller when the token source or the token is wrong: the callback's error, its timeout, a null
/// result, and tokens the server refuses (wrong audience, expired, forged, another issuer), in both modes. None of
/// the messages shows the token.
/// </summary>
public sealed class OidcFailureTests
{
    private static async Task<MongoException> FailAsync(Mode mode, OidcTestServer server, IOidcCallback callback, string options = "")
    {
        await using var client = new MongoClient(server.Settings(callback, options: options));
        return await Assert.ThrowsAnyAsync<MongoException>(() => client.PingIn(mode));
    }

    [Theory, BothModes]
    public async Task The_callbacks_own_error_is_the_cause_and_is_named(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new RecordingCallback((_, _) => throw new InvalidOperationException("the IdP is down"));

        var error = Assert.IsType<MongoAuthenticationException>(await FailAsync(mode, server, callback));

        Assert.Equal("MONGODB-OIDC", error.Mechanism);
        Assert.Contains("the IdP is down", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal(0, server.SaslStarts);
    }

    [Theory, BothModes]
    public async Task A_callback_that_returns_null_fails_the_operation(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();

        var error = await FailAsync(mode, server, new RecordingCallback((_, _) => null!));

        Assert.Contains("returned no token", error.Message, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task A_callback_that_does_not_return_is_cancelled_at_the_connection_deadline(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callback = OidcCallback.Create(
            async (_, token) => { using var seen = token.Register(() => cancelled.TrySetResult()); await Task.Delay(Timeout.Infinite, token); return null!; },
            (_, token) => { using var seen = token.Register(() => cancelled.TrySetResult()); token.WaitHandle.WaitOne(); token.ThrowIfCancellationRequested(); return null!; });
        var watch = Stopwatch.StartNew();

        // Long enough that TCP and hello end well before it on a loaded machine, so the deadline falls in the callback.
        var error = await FailAsync(mode, server, callback, "&connectTimeoutMS=3000");

        var timeout = Assert.IsType<MongoOperationTimeoutException>(error);
        Assert.Equal("connectTimeoutMS", timeout.TimeoutOption);
        // The callback's token fires at the deadline; the caller may hear of the timeout a moment before the
        // callback's own cancellation has run on a loaded machine, so it is awaited (bounded), not sampled.
        Assert.Same(cancelled.Task, await Task.WhenAny(cancelled.Task, Task.Delay(TimeSpan.FromSeconds(5))));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"{watch.Elapsed}");
    }

    [Theory, BothModes]
    public async Task Cancelling_the_operation_cancels_the_callback(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var started = new TaskCompletionSource();
        var callback = OidcCallback.Create(
            async (_, token) => { started.TrySetResult(); await Task.Delay(Timeout.Infinite, token); return null!; },
            (_, token) => { started.TrySetResult(); token.WaitHandle.WaitOne(); token.ThrowIfCancellationRequested(); return null!; });
        await using var client = new MongoClient(server.Settings(callback));
        using var cancel = new CancellationTokenSource();
        _ = started.Task.ContinueWith(_ => cancel.Cancel(), TaskScheduler.Default);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Run(() => client.PingIn(mode, cancel.Token)));
    }

    [Theory]
    [InlineData(Mode.Sync, "audience", "the audience (aud) is not the server's")]
    [InlineData(Mode.Async, "audience", "the audience (aud) is not the server's")]
    [InlineData(Mode.Sync, "expired", "the token expired")]
    [InlineData(Mode.Async, "expired", "the token expired")]
    [InlineData(Mode.Sync, "forged", "the signature does not verify")]
    [InlineData(Mode.Async, "forged", "the signature does not verify")]
    [InlineData(Mode.Sync, "issuer", "the issuer (iss) is not the one the server trusts")]
    [InlineData(Mode.Async, "issuer", "the issuer (iss) is not the one the server trusts")]
    public async Task A_token_the_server_refuses_is_AuthenticationFailed_once_without_a_retry(Mode mode, string wrong, string reason)
    {
        await using var server = await OidcTestServer.StartAsync();
        string? token = null;
        var callback = new RecordingCallback((_, _) => new OidcToken(token = wrong switch
        {
            "audience" => server.Issuer.CreateToken(OidcTestServer.User, audience: "api://someone-else"),
            "expired" => server.Issuer.CreateToken(OidcTestServer.User, lifetime: TimeSpan.FromMinutes(-1)),
            "forged" => server.Issuer.CreateToken(OidcTestServer.User, signWithUnknownKey: true),
            _ => server.Issuer.CreateToken(OidcTestServer.User, issuer: "https://other.example"),
        }));

        var error = Assert.IsType<MongoAuthenticationException>(await FailAsync(mode, server, callback));

        Assert.Equal(18, error.ServerErrorCode);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token!, error.ToString(), StringComparison.Ordinal);
        // A token fresh from the callback is not retried: the callback would give the same answer.
        Assert.Equal(1, callback.CallCount);
        Assert.Equal(1, server.SaslStarts);
    }

    [Theory, BothModes]
    public async Task A_negative_expiresIn_is_refused(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new RecordingCallback((_, _) => new OidcToken(server.Token(), TimeSpan.FromSeconds(-1)));

        var error = await FailAsync(mode, server, callback);

        Assert.Contains("negative", error.Message, StringComparison.Ordinal);
    }
}
