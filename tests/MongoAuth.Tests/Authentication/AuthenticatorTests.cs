using System.Net;
using MongoAuth.Authentication;
using MongoAuth.Tests.Support;
using MongoDB.Bson;
using static MongoAuth.Tests.Support.FakeSaslServer;

namespace MongoAuth.Tests.Authentication;

public sealed class AuthenticatorTests
{
    private static readonly SaslConversationContext Context = new(new DnsEndPoint("localhost", 27017), false, false);

    private static (Authenticator Authenticator, FakeSaslMechanism Sha256, FakeSaslMechanism Sha1) Negotiating(string user = "alice")
    {
        var sha256 = new FakeSaslMechanism("SCRAM-SHA-256", "admin", canSpeculate: true);
        var sha1 = new FakeSaslMechanism("SCRAM-SHA-1", "admin");
        var registry = new MechanismRegistry()
            .WithMechanism("SCRAM-SHA-256", (_, _) => sha256)
            .WithMechanism("SCRAM-SHA-1", (_, _) => sha1);
        var settings = new MongoClientSettings { Credential = TestSettings.Credential(null, user), Mechanisms = registry };
        return (Authenticator.Create(settings)!, sha256, sha1);
    }

    [Fact]
    public async Task Negotiation_asks_for_saslSupportedMechs_with_the_user_as_given_and_speculates_with_SCRAM_SHA_256()
    {
        var (authenticator, _, _) = Negotiating("Ålice@x");

        var session = authenticator.Begin(Context);
        var hello = new BsonDocument();
        await session.AddToHelloAsync(hello, Contexts.Async);

        Assert.Equal("admin.Ålice@x", hello["saslSupportedMechs"].AsString);
        var document = hello["speculativeAuthenticate"].AsBsonDocument;
        Assert.Equal(1, document["saslStart"].ToInt32());
        Assert.Equal("SCRAM-SHA-256", document["mechanism"].AsString);
        Assert.Equal("admin", document["db"].AsString);
        Assert.True(document["options"]["skipEmptyExchange"].AsBoolean);
        Assert.Equal("c1", Payload(document));
    }

    [Theory]
    [InlineData(new[] { "SCRAM-SHA-1", "SCRAM-SHA-256" }, "SCRAM-SHA-256")]
    [InlineData(new[] { "SCRAM-SHA-1" }, "SCRAM-SHA-1")]
    [InlineData(new[] { "PLAIN", "UNKNOWN-MECH" }, "SCRAM-SHA-1")]
    [InlineData(null, "SCRAM-SHA-1")]
    public async Task Negotiation_picks_SCRAM_SHA_256_only_when_listed(string[]? serverMechanisms, string expected)
    {
        var (authenticator, _, _) = Negotiating();
        var session = authenticator.Begin(Context);
        var hello = new BsonDocument();
        await session.AddToHelloAsync(hello, Contexts.Async);
        var channel = new RecordingCommandChannel(c => c.GetElement(0).Name == "saslStart" ? SaslReply("s1", false) : SaslReply("s2", true));

        var used = await session.CompleteAsync(channel, serverMechanisms, null, Contexts.Async);

        Assert.Equal(expected, used.Name);
        Assert.Equal(expected, channel.Sent[0].Command["mechanism"].AsString);
    }

    [Fact]
    public async Task A_speculative_reply_saves_the_saslStart_round_trip()
    {
        var (authenticator, sha256, _) = Negotiating();
        var session = authenticator.Begin(Context);
        var hello = new BsonDocument();
        await session.AddToHelloAsync(hello, Contexts.Async);
        var channel = new RecordingCommandChannel(_ => SaslReply("s2", true));

        await session.CompleteAsync(channel, ["SCRAM-SHA-256"], SaslReply("s1", false), Contexts.Async);

        Assert.Equal(["saslContinue"], channel.Names);
        Assert.Equal(1, sha256.VerifiedFinalMessages);
    }

    [Fact]
    public async Task A_configured_non_speculative_mechanism_sends_neither_saslSupportedMechs_nor_speculation()
    {
        var mechanism = new FakeSaslMechanism();
        var authenticator = Configured(mechanism);

        var session = authenticator.Begin(Context);
        var hello = new BsonDocument();
        await session.AddToHelloAsync(hello, Contexts.Async);

        Assert.False(hello.Contains("saslSupportedMechs"));
        Assert.False(hello.Contains("speculativeAuthenticate"));
    }

    [Fact]
    public async Task A_command_mechanism_speculates_its_command_and_accepts_the_speculative_reply()
    {
        var mechanism = new FakeCommandMechanism();
        var authenticator = Configured(mechanism, password: null);
        var session = authenticator.Begin(Context);
        var hello = new BsonDocument();
        await session.AddToHelloAsync(hello, Contexts.Async);
        var channel = new RecordingCommandChannel(_ => new BsonDocument("ok", 1));

        await session.CompleteAsync(channel, null, new BsonDocument { { "dbname", "$external" }, { "user", "CN=alice" } }, Contexts.Async);

        Assert.Equal("authenticate", hello["speculativeAuthenticate"].AsBsonDocument.GetElement(0).Name);
        Assert.Empty(channel.Sent);
    }

    [Fact]
    public async Task A_command_mechanism_without_speculative_reply_sends_authenticate_to_its_source()
    {
        var mechanism = new FakeCommandMechanism();
        var authenticator = Configured(mechanism, password: null);
        var session = authenticator.Begin(Context);
        var hello = new BsonDocument();
        await session.AddToHelloAsync(hello, Contexts.Async);
        var channel = new RecordingCommandChannel(_ => new BsonDocument { { "ok", 0 }, { "code", 18 }, { "errmsg", "no" } });

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() =>
            session.CompleteAsync(channel, null, null, Contexts.Async));

        Assert.Equal("$external", channel.Sent.Single().Database);
        Assert.Contains("at authenticate", error.Message);
        Assert.Equal(18, error.ServerErrorCode);
    }

    [Fact]
    public async Task Reauthentication_runs_a_fresh_conversation_after_calling_the_hook()
    {
        var mechanism = new FakeSaslMechanism();
        var authenticator = Configured(mechanism);
        var channel = new RecordingCommandChannel(c => c.GetElement(0).Name == "saslStart" ? SaslReply("s1", false) : SaslReply("s2", true));

        await authenticator.ReauthenticateAsync(channel, Context, mechanism, new MongoCommandException("reauth", 391, "ReauthenticationRequired"), Contexts.Async);

        Assert.Equal(1, mechanism.Reauthentications);
        Assert.Equal(["saslStart", "saslContinue"], channel.Names);
    }

    private static Authenticator Configured(IAuthenticationMechanism mechanism, string? password = "s3cr3t-pw")
    {
        var registry = new MechanismRegistry().WithMechanism(mechanism.Name, (_, _) => mechanism);
        return Authenticator.Create(new MongoClientSettings { Credential = TestSettings.Credential(mechanism.Name, password: password), Mechanisms = registry })!;
    }

    private sealed class FakeCommandMechanism : ICommandMechanism
    {
        public string Name => "FAKE-X509";

        public string Source => "$external";

        public bool CanSpeculate => true;

        public BsonDocument CreateCommand(SaslConversationContext context) => new() { { "authenticate", 1 }, { "mechanism", Name } };
    }
}
