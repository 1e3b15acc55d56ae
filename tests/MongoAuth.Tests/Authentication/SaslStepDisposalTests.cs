using System.Net;
using MongoAuth.Authentication;
using MongoAuth.Tests.Support;
using MongoDB.Bson;
using static MongoAuth.Tests.Support.FakeSaslServer;

namespace MongoAuth.Tests.Authentication;

/// <summary>
/// The SASL loop disposes the steps it is handed (GSSAPI keeps a native security context in its step) however the
/// conversation ends: success, a server error, a step that throws, or a server that stops early.
/// </summary>
public sealed class SaslStepDisposalTests
{
    private static readonly SaslConversationContext Context = new(new DnsEndPoint("localhost", 27017), IsTls: false, IsServerIdentityVerified: false);

    private static Task RunAsync(DisposableStepMechanism mechanism, Func<BsonDocument, BsonDocument> server) =>
        SaslConversation.RunAsync(mechanism, new RecordingCommandChannel(server), Context,
            new AuthenticationFailure(mechanism, "alice", Context, speculative: false), null, null, Contexts.Async);

    private static BsonDocument Refused(BsonDocument _) =>
        new() { { "ok", 0 }, { "code", 18 }, { "codeName", "AuthenticationFailed" }, { "errmsg", "Authentication failed." } };

    [Fact]
    public async Task Steps_are_disposed_once_after_success()
    {
        var mechanism = new DisposableStepMechanism(rounds: 2);

        await RunAsync(mechanism, c => SaslReply("s", c.GetElement(0).Name == "saslContinue"));

        Assert.Equal(1, mechanism.Step.Disposals);
        Assert.Equal(2, mechanism.Step.Executions);
    }

    [Fact]
    public async Task A_step_waiting_for_the_server_is_disposed_when_the_server_refuses()
    {
        var mechanism = new DisposableStepMechanism(rounds: 3);
        var round = 0;

        await Assert.ThrowsAsync<MongoAuthenticationException>(() => RunAsync(mechanism, c => ++round == 1 ? SaslReply("s", false) : Refused(c)));

        Assert.Equal(2, mechanism.Step.Executions);
        Assert.Equal(1, mechanism.Step.Disposals);
    }

    [Fact]
    public async Task The_step_is_disposed_when_saslStart_is_refused()
    {
        var mechanism = new DisposableStepMechanism(rounds: 2);

        await Assert.ThrowsAsync<MongoAuthenticationException>(() => RunAsync(mechanism, Refused));

        Assert.Equal(1, mechanism.Step.Disposals);
    }

    [Fact]
    public async Task A_step_that_throws_is_disposed()
    {
        var mechanism = new DisposableStepMechanism(rounds: 2) { ThrowOnExecution = 2 };

        await Assert.ThrowsAsync<MongoAuthenticationException>(() => RunAsync(mechanism, _ => SaslReply("s", false)));

        Assert.Equal(1, mechanism.Step.Disposals);
    }

    /// <summary>A mechanism whose one step object is its own next step for <c>rounds</c> executions, as GSSAPI's is.</summary>
    [Fact]
    public async Task A_speculative_step_is_disposed_when_negotiation_picks_another_mechanism()
    {
        var speculating = new SpeculativeDisposableStepMechanism(rounds: 2);
        var registry = new MechanismRegistry()
            .WithMechanism("SCRAM-SHA-256", (_, _) => speculating)
            .WithMechanism("SCRAM-SHA-1", (_, _) => new FakeSaslMechanism("SCRAM-SHA-1", "admin"));
        var authenticator = Authenticator.Create(new MongoClientSettings { Credential = TestSettings.Credential(null, "alice"), Mechanisms = registry })!;
        var session = authenticator.Begin(Context);
        var hello = new BsonDocument();
        await session.AddToHelloAsync(hello, Contexts.Async);
        var channel = new RecordingCommandChannel(c => c.GetElement(0).Name == "saslStart" ? SaslReply("s1", false) : SaslReply("s2", true));

        var used = await session.CompleteAsync(channel, ["SCRAM-SHA-1"], null, Contexts.Async);

        Assert.Equal("SCRAM-SHA-1", used.Name);
        Assert.Equal(1, speculating.Step.Executions);
        Assert.Equal(1, speculating.Step.Disposals);
    }

    private sealed class SpeculativeDisposableStepMechanism(int rounds) : ISpeculativeSaslMechanism
    {
        private readonly DisposableStepMechanism _inner = new(rounds);

        public string Name => "SCRAM-SHA-256";

        public string Source => "admin";

        public bool CanSpeculate => true;

        public CountingStep Step => _inner.Step;

        public ISaslStep CreateFirstStep(SaslConversationContext context) => _inner.CreateFirstStep(context);
    }

    private sealed class DisposableStepMechanism(int rounds) : ISaslMechanism
    {
        public string Name => "DISPOSABLE";

        public string Source => "admin";

        public int? ThrowOnExecution { get; init; }

        public CountingStep Step { get; } = new();

        public ISaslStep CreateFirstStep(SaslConversationContext context)
        {
            Step.Rounds = rounds;
            Step.ThrowOnExecution = ThrowOnExecution;
            return Step;
        }
    }

    private sealed class CountingStep : ISaslStep, IDisposable
    {
        public int Rounds { get; set; }

        public int? ThrowOnExecution { get; set; }

        public int Executions { get; private set; }

        public int Disposals { get; private set; }

        public ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(Disposals > 0, this);
            Executions++;
            if (Executions == ThrowOnExecution)
            {
                throw new InvalidOperationException("step failed");
            }

            return ValueTask.FromResult(new SaslStepResult("c"u8.ToArray(), Executions < Rounds ? this : null));
        }

        public void Dispose() => Disposals++;
    }
}
