using System.Security.Cryptography;
using MongoAuth.Authentication;
using MongoAuth.Authentication.Scram;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Scram;
using static MongoAuth.Tests.Authentication.Scram.ScramTestSupport;

namespace MongoAuth.Tests.Authentication.Scram;

// The test server's SCRAM half on its own: stored credentials and refusals of malformed client messages.
public sealed class ScramServerTests
{
    [Fact]
    public void Stored_sha1_credential_is_what_mongod_stores_for_the_spec_vector()
    {
        var credential = ScramStoredCredential.Create(
            "SCRAM-SHA-1", "user", "pencil", 10000, Convert.FromBase64String("rQ9ZY3MntBeuP3E1TDVC4w=="));

        Assert.Equal("951ad51f2a8c5fe38ea86be972fbfd6a7940f084", Convert.ToHexStringLower(credential.ServerKey.Span));
        Assert.Equal(
            Convert.ToHexStringLower(SHA1.HashData(Convert.FromHexString("6eca60b8b046771fc7174092de6e7e837859b356"))),
            Convert.ToHexStringLower(credential.StoredKey.Span));
        Assert.Equal(10000, credential.Iterations);
    }

    [Theory]
    [InlineData("SCRAM-SHA-1", 10000, 16)]
    [InlineData("SCRAM-SHA-256", 15000, 28)]
    public void Defaults_follow_mongod(string mechanism, int iterations, int saltLength)
    {
        var first = ScramStoredCredential.Create(mechanism, "user", "pencil");
        var second = ScramStoredCredential.Create(mechanism, "user", "pencil");

        Assert.Equal(mechanism, first.Mechanism);
        Assert.Equal(iterations, first.Iterations);
        Assert.Equal(saltLength, first.Salt.Length);
        Assert.False(first.Salt.Span.SequenceEqual(second.Salt.Span));
    }

    [Fact]
    public void Unknown_mechanisms_and_unpreparable_passwords_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ScramStoredCredential.Create("PLAIN", "user", "pencil"));
        Assert.Throws<ArgumentException>(() => new ScramServerMechanism("SCRAM-SHA-512", (_, _, _) => null));
        Assert.Throws<ArgumentException>(() => ScramStoredCredential.Create("SCRAM-SHA-256", "user", "bad\u0007"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScramStoredCredential.Create("SCRAM-SHA-1", "user", "pencil", 0));
    }

    [Theory]
    [InlineData("p=tls-unique,,n=user,r=abc", "channel binding")]
    [InlineData("n,a=admin,n=user,r=abc", "authorization identity")]
    [InlineData("n,,m=ext,n=user,r=abc", "mandatory extension")]
    [InlineData("n,,n=user", "no 'r=' attribute")]
    [InlineData("n,,r=abc", "no 'n=' attribute")]
    [InlineData("n,,n=us=er,r=abc", "not followed by 2C or 3D")]
    [InlineData("n,,n=user,r=", "must not be empty")]
    public async Task Malformed_client_first_is_BadValue(string clientFirst, string reason)
    {
        var conversation = Server("SCRAM-SHA-256", "user", "pencil").Start(new ServerConversationContext(null, "admin", false));

        var exception = await Assert.ThrowsAsync<ServerCommandException>(
            async () => await conversation.StepAsync(Bytes(clientFirst), default));

        Assert.Equal(2, exception.Code);
        Assert.Contains(reason, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_first_extends_the_client_nonce_and_carries_the_stored_salt_and_iterations()
    {
        var server = Server("SCRAM-SHA-256", "user", "pencil", iterations: 4096);
        var conversation = server.Start(new ServerConversationContext(null, "admin", false));

        ServerSaslStep reply = await conversation.StepAsync(Bytes("y,,n=user,r=clientnonce"), default);

        Dictionary<char, string> attributes = ScramMessages.ParseAttributes(Utf8(reply.Payload));
        Assert.StartsWith("clientnonce", attributes['r'], StringComparison.Ordinal);
        Assert.True(attributes['r'].Length > "clientnonce".Length);
        Assert.Equal(28, Convert.FromBase64String(attributes['s']).Length);
        Assert.Equal("4096", attributes['i']);
        Assert.False(reply.Done);
    }

    [Theory]
    [InlineData("c=biws,r={0}X,p=AAAA", "does not match")]        // nonce differs
    [InlineData("c=eSws,r={0},p=AAAA", "does not match")]         // channel binding of "y,,", not "n,,"
    [InlineData("c=biws,p=AAAA,r={0}", "last attribute")]
    [InlineData("c=biws,r={0}", "no 'p=' attribute")]
    [InlineData("c=biws,r={0},p=!!", "not valid base64")]
    public async Task Malformed_client_final_is_BadValue(string template, string reason)
    {
        var conversation = Server("SCRAM-SHA-1", "user", "pencil").Start(new ServerConversationContext(null, "admin", false));
        ServerSaslStep serverFirst = await conversation.StepAsync(Bytes("n,,n=user,r=abc"), default);
        string nonce = ScramMessages.ParseAttributes(Utf8(serverFirst.Payload))['r'];

        var exception = await Assert.ThrowsAsync<ServerCommandException>(
            async () => await conversation.StepAsync(Bytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, nonce)), default));

        Assert.Equal(2, exception.Code);
        Assert.Contains(reason, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proof_of_the_wrong_length_is_error_18()
    {
        var conversation = Server("SCRAM-SHA-256", "user", "pencil").Start(new ServerConversationContext(null, "admin", false));
        ServerSaslStep serverFirst = await conversation.StepAsync(Bytes("n,,n=user,r=abc"), default);
        string nonce = ScramMessages.ParseAttributes(Utf8(serverFirst.Payload))['r'];

        var exception = await Assert.ThrowsAsync<ServerCommandException>(
            async () => await conversation.StepAsync(Bytes($"c=biws,r={nonce},p=AAAA"), default));

        Assert.Equal(18, exception.Code);
    }

    [Fact]
    public async Task The_legacy_empty_exchange_must_be_empty_and_nothing_follows_done()
    {
        var server = Server("SCRAM-SHA-256", "user", "pencil");
        var mechanism = new ScramSha256Mechanism(Credential("user", "pencil"));
        var conversation = server.Start(new ServerConversationContext(null, "admin", false));
        SaslStepResult first = await mechanism.CreateFirstStep(ClientContext).ExecuteAsync(ReadOnlyMemory<byte>.Empty, default);
        SaslStepResult final = await first.Next!.ExecuteAsync((await conversation.StepAsync(first.Payload, default)).Payload, default);
        ServerSaslStep serverFinal = await conversation.StepAsync(final.Payload, default);

        var notEmpty = await Assert.ThrowsAsync<ServerCommandException>(async () => await conversation.StepAsync(Bytes("x"), default));
        var afterFailure = await Assert.ThrowsAsync<ServerCommandException>(
            async () => await conversation.StepAsync(ReadOnlyMemory<byte>.Empty, default));

        Assert.False(serverFinal.Done);
        Assert.Null(serverFinal.User);
        Assert.Equal(2, notEmpty.Code);
        Assert.Contains("already complete", afterFailure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_options_apply_to_conversations_started_after_they_are_set()
    {
        var server = Server("SCRAM-SHA-1", "user", "pencil");
        var honest = server.Start(new ServerConversationContext(null, "admin", false));
        server.TestOptions = new ScramServerTestOptions { AdvertisedIterationCount = 1000 };
        var lying = server.Start(new ServerConversationContext(null, "admin", false));

        string honestFirst = Utf8((await honest.StepAsync(Bytes("n,,n=user,r=abc"), default)).Payload);
        string lyingFirst = Utf8((await lying.StepAsync(Bytes("n,,n=user,r=abc"), default)).Payload);

        Assert.EndsWith(",i=10000", honestFirst, StringComparison.Ordinal);
        Assert.EndsWith(",i=1000", lyingFirst, StringComparison.Ordinal);
    }
}
