using System.Net;
using MongoAuth.Authentication;
using MongoAuth.Tests.Support;
using MongoDB.Bson;
using static MongoAuth.Tests.Support.FakeSaslServer;

namespace MongoAuth.Tests.Authentication;

public sealed class SaslConversationTests
{
    private static readonly SaslConversationContext Context = new(new DnsEndPoint("localhost", 27017), IsTls: false, IsServerIdentityVerified: false);

    private static Task RunAsync(FakeSaslMechanism mechanism, RecordingCommandChannel channel, BsonDocument? speculativeReply = null, ISaslStep? next = null) =>
        SaslConversation.RunAsync(mechanism, channel, Context, new AuthenticationFailure(mechanism, "alice", Context, speculative: false), speculativeReply, next, Contexts.Async);

    [Fact]
    public async Task SaslStart_carries_mechanism_payload_autoAuthorize_and_skipEmptyExchange_to_the_source()
    {
        var mechanism = new FakeSaslMechanism(source: "app");
        var channel = new RecordingCommandChannel(c => c.GetElement(0).Name == "saslStart" ? SaslReply("s1", false, 7) : SaslReply("s2", true, 7));

        await RunAsync(mechanism, channel);

        var (db, start) = channel.Sent[0];
        Assert.Equal("app", db);
        Assert.Equal("FAKE-SASL", start["mechanism"].AsString);
        Assert.Equal("c1", Payload(start));
        Assert.Equal(1, start["autoAuthorize"].ToInt32());
        Assert.True(start["options"]["skipEmptyExchange"].AsBoolean);
        var (_, next) = channel.Sent[1];
        Assert.Equal(7, next["conversationId"].ToInt32());
        Assert.Equal("c2", Payload(next));
        Assert.Equal(["saslStart", "saslContinue"], channel.Names);
        Assert.Equal(1, mechanism.VerifiedFinalMessages);
    }

    [Fact]
    public async Task Legacy_server_that_is_not_done_after_the_last_step_gets_one_empty_saslContinue()
    {
        var mechanism = new FakeSaslMechanism();
        var round = 0;
        var channel = new RecordingCommandChannel(_ => ++round switch
        {
            1 => SaslReply("s1", false),
            2 => SaslReply("s2", false),
            _ => SaslReply("", true),
        });

        await RunAsync(mechanism, channel);

        Assert.Equal(["saslStart", "saslContinue", "saslContinue"], channel.Names);
        Assert.Empty(channel.Sent[2].Command["payload"].AsBsonBinaryData.Bytes);
        Assert.Equal(1, mechanism.VerifiedFinalMessages);
    }

    [Fact]
    public async Task Server_that_says_done_while_a_client_step_remains_is_refused()
    {
        var mechanism = new FakeSaslMechanism();
        var channel = new RecordingCommandChannel(_ => SaslReply("s1", true));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => RunAsync(mechanism, channel));

        Assert.Contains("ended the conversation before the client's last step", error.Message);
        Assert.Equal(0, mechanism.VerifiedFinalMessages);
    }

    [Fact]
    public async Task Wrong_server_payload_fails_in_the_step_and_names_the_mechanism_user_and_source()
    {
        var mechanism = new FakeSaslMechanism();
        var channel = new RecordingCommandChannel(c => c.GetElement(0).Name == "saslStart" ? SaslReply("s1", false) : SaslReply("forged", true));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => RunAsync(mechanism, channel));

        Assert.Contains("FAKE-SASL", error.Message);
        Assert.Contains("'alice'", error.Message);
        Assert.Contains("'admin'", error.Message);
        Assert.Contains("server message 2", error.Message);
        Assert.Equal(0, mechanism.VerifiedFinalMessages);
        Assert.Equal(1, mechanism.Failures);
    }

    [Fact]
    public async Task Server_error_18_names_mechanism_user_source_step_and_code_but_never_the_password()
    {
        var mechanism = new FakeSaslMechanism(source: "app");
        var channel = new RecordingCommandChannel(c => c.GetElement(0).Name == "saslStart"
            ? SaslReply("s1", false)
            : new BsonDocument { { "ok", 0 }, { "code", 18 }, { "codeName", "AuthenticationFailed" }, { "errmsg", "Authentication failed." } });

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => RunAsync(mechanism, channel));

        Assert.Equal(18, error.ServerErrorCode);
        Assert.Equal("FAKE-SASL", error.Mechanism);
        Assert.Contains("saslContinue 1", error.Message);
        Assert.Contains("18 AuthenticationFailed", error.Message);
        Assert.Contains("'app'", error.Message);
        Assert.Contains("authSource", error.Message);
        Assert.DoesNotContain("s3cr3t", error.ToString());
    }

    [Fact]
    public async Task Speculative_reply_continues_the_conversation_without_saslStart()
    {
        var mechanism = new FakeSaslMechanism();
        var first = await mechanism.CreateFirstStep(Context).ExecuteAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        var channel = new RecordingCommandChannel(_ => SaslReply("s2", true));

        await RunAsync(mechanism, channel, SaslReply("s1", false), first.Next);

        Assert.Equal(["saslContinue"], channel.Names);
        Assert.Equal(1, mechanism.VerifiedFinalMessages);
    }

    [Fact]
    public async Task Server_that_never_finishes_is_cut_off()
    {
        var mechanism = new FakeSaslMechanism();
        var round = 0;
        var channel = new RecordingCommandChannel(_ => ++round switch
        {
            1 => SaslReply("s1", false),
            2 => SaslReply("s2", false),
            _ => SaslReply("", false),
        });

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => RunAsync(mechanism, channel));

        Assert.Contains("did not finish", error.Message);
        Assert.InRange(channel.Sent.Count, 3, 40);
    }
}
