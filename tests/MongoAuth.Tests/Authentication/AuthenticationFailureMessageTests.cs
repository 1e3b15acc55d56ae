using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication.Scram;
using MongoAuth.TestServer.FailPoints;
using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.Authentication;

/// <summary>
/// Authentication failures say where, end to end against the test server's fail points, in both modes: the step
/// (saslContinue 1 vs 2), the mechanism, the user and the source, each once; the mechanism's hint only for code 18.
/// </summary>
public sealed class AuthenticationFailureMessageTests
{
    private const string Password = "correct horse battery staple";

    private static async Task<MongoTestServer> StartAsync(bool longConversation = false)
    {
        var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        server.Users.AddScramUser("admin", "alice", Password);
        if (longConversation)
        {
            server.RegisterMechanism(new ScramServerMechanism("SCRAM-SHA-256", server.Users.FindScramAccount)
            {
                TestOptions = new ScramServerTestOptions { IgnoreSkipEmptyExchange = true },
            });
        }

        return server;
    }

    private static MongoClient Client(MongoTestServer server) => new(
        $"mongodb://alice:{Uri.EscapeDataString(Password)}@127.0.0.1:{server.Port}/?authMechanism=SCRAM-SHA-256&connectTimeoutMS=5000&socketTimeoutMS=10000");

    private static Task<Exception> PingFailureAsync(MongoClient client, Mode mode) => Record.ExceptionAsync(() => client.PingIn(mode));

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Theory]
    [InlineData(Mode.Async, false, "saslContinue 1")]
    [InlineData(Mode.Sync, false, "saslContinue 1")]
    [InlineData(Mode.Async, true, "saslContinue 2")]
    [InlineData(Mode.Sync, true, "saslContinue 2")]
    public async Task A_connection_closed_during_a_continuation_names_that_continuation_mechanism_user_and_source_once(
        Mode mode, bool second, string step)
    {
        await using var server = await StartAsync(longConversation: second);
        server.ConfigureFailPoint(new FailCommand { Commands = ["saslContinue"], Skip = second ? 1 : 0, Times = 1, CloseConnection = true });
        await using var client = Client(server);

        var error = Assert.IsType<MongoConnectionException>(await PingFailureAsync(client, mode));

        Assert.StartsWith($"Authentication with SCRAM-SHA-256 failed for user 'alice' on database 'admin' at {step}: the connection to 127.0.0.1:{server.Port} failed",
            error.Message, StringComparison.Ordinal);
        Assert.Equal(1, Occurrences(error.Message, "saslContinue"));
        Assert.Equal(1, Occurrences(error.Message, "SCRAM-SHA-256"));
        Assert.Equal(1, Occurrences(error.Message, "alice"));
        Assert.DoesNotContain("Check the", error.Message, StringComparison.Ordinal); // no hint: nothing points to one
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        Assert.IsNotType<MongoConnectionException>(error.InnerException); // wrapped once, around the network cause
        Assert.Equal(second ? 2 : 1, server.Statistics.CommandsReceived("saslContinue"));
    }

    [Theory, BothModes]
    public async Task Code_18_gives_the_mechanisms_hint_and_the_facts_as_properties(Mode mode)
    {
        await using var server = await StartAsync();
        server.ConfigureFailPoint(new FailCommand { Commands = ["saslContinue"], Times = 1, ErrorCode = 18 });
        await using var client = Client(server);

        var error = Assert.IsType<MongoAuthenticationException>(await PingFailureAsync(client, mode));

        Assert.StartsWith("Authentication with SCRAM-SHA-256 failed for user 'alice' on database 'admin' at saslContinue 1: the server answered 18 AuthenticationFailed",
            error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Check the user name, the password and authSource (the database the user is defined in).", error.Message, StringComparison.Ordinal);
        Assert.Equal(("SCRAM-SHA-256", "alice", "admin", "saslContinue 1", 18),
            (error.Mechanism, error.Username, error.AuthSource, error.Step, error.ServerErrorCode));
    }

    [Theory, BothModes]
    public async Task Another_server_error_gets_no_hint(Mode mode)
    {
        await using var server = await StartAsync();
        server.ConfigureFailPoint(new FailCommand { Commands = ["saslContinue"], Times = 1, ErrorCode = 91 });
        await using var client = Client(server);

        var error = Assert.IsType<MongoAuthenticationException>(await PingFailureAsync(client, mode));

        Assert.Equal(91, error.ServerErrorCode);
        Assert.Contains("at saslContinue 1: the server answered 91 ShutdownInProgress", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Check the", error.Message, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task A_client_side_refusal_is_not_wrapped_twice(Mode mode)
    {
        await using var server = await StartAsync();
        server.RegisterMechanism(new ScramServerMechanism("SCRAM-SHA-256", server.Users.FindScramAccount)
        {
            TestOptions = new ScramServerTestOptions { TamperServerSignature = true },
        });
        await using var client = Client(server);

        var error = Assert.IsType<MongoAuthenticationException>(await PingFailureAsync(client, mode));

        Assert.Equal(1, Occurrences(error.Message, "alice"));
        Assert.Equal(1, Occurrences(error.Message, "SCRAM-SHA-256"));
        Assert.Equal("the server-final message", error.Step);
        Assert.Null(error.ServerErrorCode);
        Assert.DoesNotContain("Check the", error.Message, StringComparison.Ordinal);
    }
}
