using System.Text;
using MongoAuth.Authentication;

namespace MongoAuth.Tests.Support;

/// <summary>
/// A SASL mechanism for tests: the client sends "c1", expects "s1", sends "c2", then expects "s2" and finishes
/// (a SCRAM-shaped three-step conversation whose last step verifies the server). Counts what it was asked to do.
/// </summary>
internal sealed class FakeSaslMechanism(string name = "FAKE-SASL", string source = "admin", bool canSpeculate = false)
    : ISpeculativeSaslMechanism, IReauthenticatingMechanism, IAuthenticationErrorHandler
{
    private int _conversations;
    private int _reauthentications;
    private int _failures;

    public string Name => name;

    public string Source => source;

    public bool CanSpeculate => canSpeculate;

    public int Conversations => Volatile.Read(ref _conversations);

    public int Reauthentications => Volatile.Read(ref _reauthentications);

    public int Failures => Volatile.Read(ref _failures);

    public int VerifiedFinalMessages;

    public ISaslStep CreateFirstStep(SaslConversationContext context)
    {
        Interlocked.Increment(ref _conversations);
        return new Step(string.Empty, "c1", new Step("s1", "c2", new Step("s2", string.Empty, null, () => Interlocked.Increment(ref VerifiedFinalMessages))));
    }

    public void PrepareReauthentication(SaslConversationContext context) => Interlocked.Increment(ref _reauthentications);

    public void OnAuthenticationFailed(SaslConversationContext context, int? serverErrorCode, bool speculative) => Interlocked.Increment(ref _failures);

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private sealed class Step(string expected, string send, ISaslStep? next, Action? onDone = null) : ISaslStep
    {
        public ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, CancellationToken cancellationToken)
        {
            var got = Encoding.UTF8.GetString(serverPayload.Span);
            if (got != expected)
            {
                throw new MongoAuthenticationException($"expected server payload '{expected}' but got '{got}'");
            }
            onDone?.Invoke();
            return ValueTask.FromResult(new SaslStepResult(Bytes(send), next));
        }
    }
}
