using MongoAuth.Authentication.Scram;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Scram;
using static MongoAuth.Tests.Authentication.Scram.ScramTestSupport;

namespace MongoAuth.Tests.Authentication.Scram;

// The client mechanisms against the test server's SCRAM conversation, in-process.
public sealed class ScramConversationTests
{
    public static TheoryData<string> Mechanisms => ["SCRAM-SHA-1", "SCRAM-SHA-256"];

    private static ScramMechanism Client(string mechanism, MongoCredential credential) => mechanism == "SCRAM-SHA-1"
        ? new ScramSha1Mechanism(credential)
        : new ScramSha256Mechanism(credential);

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public async Task Right_password_authenticates_in_two_round_trips(string mechanism)
    {
        var server = Server(mechanism, "app", "s3cret", database: "inventory");

        SaslRun run = await RunAsync(Client(mechanism, Credential("app", "s3cret", source: "inventory")), server);

        Assert.Equal(new GrantedRole("readWrite", "inventory"), Assert.Single(run.User.Roles));
        Assert.Equal("inventory", run.User.Db);
        Assert.Equal(2, run.ServerSteps);
    }

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public async Task Without_skipEmptyExchange_the_client_makes_the_legacy_extra_round_trip(string mechanism)
    {
        var server = Server(mechanism, "app", "s3cret");

        SaslRun run = await RunAsync(Client(mechanism, Credential("app", "s3cret")), server, skipEmptyExchange: false);

        Assert.Equal("app", run.User.User);
        Assert.Equal(3, run.ServerSteps);
    }

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public async Task Wrong_password_gets_error_18(string mechanism)
    {
        var server = Server(mechanism, "app", "s3cret");

        var exception = await Assert.ThrowsAsync<ServerCommandException>(
            () => RunAsync(Client(mechanism, Credential("app", "wrong")), server));

        Assert.Equal(18, exception.Code);
        Assert.Equal("AuthenticationFailed", exception.CodeName);
        Assert.Equal("Authentication failed.", exception.Message);
    }

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public async Task Unknown_user_or_wrong_database_gets_error_18(string mechanism)
    {
        var server = Server(mechanism, "app", "s3cret", database: "inventory");

        var unknownUser = await Assert.ThrowsAsync<ServerCommandException>(
            () => RunAsync(Client(mechanism, Credential("nobody", "s3cret", source: "inventory")), server));
        var wrongDatabase = await Assert.ThrowsAsync<ServerCommandException>(
            () => RunAsync(Client(mechanism, Credential("app", "s3cret", source: "admin")), server));

        Assert.Equal(18, unknownUser.Code);
        Assert.Equal(18, wrongDatabase.Code);
    }

    [Fact]
    public async Task A_user_stored_for_one_mechanism_cannot_use_the_other()
    {
        var server = Server("SCRAM-SHA-1", "app", "s3cret");
        var sha256Server = new ScramServerMechanism("SCRAM-SHA-256", (db, user, mechanism) => null);

        var exception = await Assert.ThrowsAsync<ServerCommandException>(
            () => RunAsync(new ScramSha256Mechanism(Credential("app", "s3cret")), sha256Server));

        Assert.Equal(18, exception.Code);
        Assert.Equal("SCRAM-SHA-1", server.Name);
    }

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public async Task Tampered_server_signature_is_refused_even_when_the_server_says_done_early(string mechanism)
    {
        var server = Server(mechanism, "app", "s3cret");
        server.TestOptions = new ScramServerTestOptions { TamperServerSignature = true };

        var early = await Assert.ThrowsAsync<MongoAuthenticationException>(
            () => RunAsync(Client(mechanism, Credential("app", "s3cret")), server, skipEmptyExchange: true));
        var legacy = await Assert.ThrowsAsync<MongoAuthenticationException>(
            () => RunAsync(Client(mechanism, Credential("app", "s3cret")), server, skipEmptyExchange: false));

        Assert.Contains("signature is wrong", early.Message, StringComparison.Ordinal);
        Assert.Contains("signature is wrong", legacy.Message, StringComparison.Ordinal);
        Assert.Equal(mechanism, early.Mechanism);
    }

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public async Task Server_nonce_without_the_client_prefix_is_refused(string mechanism)
    {
        var server = Server(mechanism, "app", "s3cret");
        server.TestOptions = new ScramServerTestOptions { UnprefixedServerNonce = true };

        var exception = await Assert.ThrowsAsync<MongoAuthenticationException>(
            () => RunAsync(Client(mechanism, Credential("app", "s3cret")), server));

        Assert.Contains("does not extend the client's nonce", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public async Task Iteration_count_1000_is_refused_before_any_key_is_derived(string mechanism)
    {
        var server = Server(mechanism, "app", "s3cret");
        server.TestOptions = new ScramServerTestOptions { AdvertisedIterationCount = 1000 };
        ScramMechanism client = Client(mechanism, Credential("app", "s3cret", source: "admin"));

        var exception = await Assert.ThrowsAsync<MongoAuthenticationException>(() => RunAsync(client, server));

        Assert.Equal(
            $"{mechanism} authentication of user 'app' on database 'admin' failed at the server-first message: " +
            "the server asked for 1000 iterations, fewer than the minimum of 4096.",
            exception.Message);
        Assert.Equal(0, client.KeyCache.DerivationCount);
    }

    [Theory]
    [InlineData("IX", "IX", "IX")]
    [InlineData("IX", "IX", "I\u00ADX")]
    [InlineData("\u2168", "IV", "IV")]
    [InlineData("\u2168", "\u2163", "I\u00ADV")]
    [InlineData("\u2168", "\u2163", "\u2163")]
    public async Task Sha256_passwords_are_compared_after_SASLprep(string user, string storedPassword, string clientPassword)
    {
        var server = Server("SCRAM-SHA-256", user, storedPassword);

        SaslRun run = await RunAsync(new ScramSha256Mechanism(Credential(user, clientPassword)), server);

        Assert.Equal(user, run.User.User);
    }

    [Fact]
    public async Task Sha256_user_names_are_not_SASLprepped()
    {
        var server = Server("SCRAM-SHA-256", "\u2168", "IV");

        var exception = await Assert.ThrowsAsync<ServerCommandException>(
            () => RunAsync(new ScramSha256Mechanism(Credential("IX", "IV")), server));

        Assert.Equal(18, exception.Code);
    }

    [Fact]
    public async Task Sha1_passwords_are_not_SASLprepped()
    {
        // A control character SASLprep would refuse, and a soft hyphen it would drop, both count for SHA-1.
        var server = Server("SCRAM-SHA-1", "app", "I\u00ADX\u0007");

        SaslRun run = await RunAsync(new ScramSha1Mechanism(Credential("app", "I\u00ADX\u0007")), server);
        var dropped = await Assert.ThrowsAsync<ServerCommandException>(
            () => RunAsync(new ScramSha1Mechanism(Credential("app", "IX\u0007")), server));

        Assert.Equal("app", run.User.User);
        Assert.Equal(18, dropped.Code);
    }

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public async Task User_names_with_comma_and_equals_round_trip(string mechanism)
    {
        var server = Server(mechanism, "a=b,c", "s3cret");

        SaslRun run = await RunAsync(Client(mechanism, Credential("a=b,c", "s3cret")), server);

        Assert.Equal("a=b,c", run.User.User);
    }
}
