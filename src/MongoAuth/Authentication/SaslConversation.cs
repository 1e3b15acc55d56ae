using MongoAuth.Operations;
using MongoDB.Bson;

namespace MongoAuth.Authentication;

/// <summary>
/// The one loop that drives every SASL mechanism: saslStart (or the speculative reply), then saslContinue with each
/// step's payload, conversationId bookkeeping, skipEmptyExchange and the legacy empty round trip. Success needs both
/// the client's steps exhausted and the server's <c>done</c>: a server that says done early never skips a step
/// (such as SCRAM's server-signature check).
/// </summary>
internal static class SaslConversation
{
    // A bound on round trips so that a server that never says done cannot keep a connection busy forever.
    private const int MaxRoundTrips = 32;

    // A mechanism may run its conversation again (OIDC after a refused cached token); it forgets what failed each time.
    private const int MaxRetries = 2;

    public static async Task RunAsync(
        ISaslMechanism mechanism,
        ICommandChannel channel,
        SaslConversationContext context,
        AuthenticationFailure failure,
        BsonDocument? speculativeReply,
        ISaslStep? speculativeNextStep,
        OperationContext operation)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await RunOnceAsync(mechanism, channel, context, failure, attempt == 0 ? speculativeReply : null, attempt == 0 ? speculativeNextStep : null, operation).ConfigureAwait(false);
                return;
            }
            catch (MongoAuthenticationException e) when (attempt < MaxRetries && mechanism is IRetryingSaslMechanism retrying && retrying.ShouldRetry(context, e))
            {
                // Run again from saslStart on the same connection.
            }
        }
    }

    private static async Task RunOnceAsync(
        ISaslMechanism mechanism,
        ICommandChannel channel,
        SaslConversationContext context,
        AuthenticationFailure failure,
        BsonDocument? speculativeReply,
        ISaslStep? speculativeNextStep,
        OperationContext operation)
    {
        // Steps may hold native state (GSSAPI's security context): every disposable step the conversation is handed is
        // disposed when it ends, whether it succeeded, failed or was cancelled.
        using var held = new HeldSteps();
        BsonDocument reply;
        ISaslStep? next;
        if (speculativeReply is not null)
        {
            reply = speculativeReply;
            next = held.Hold(speculativeNextStep);
        }
        else
        {
            var first = await failure.RunStepAsync(held.Hold(mechanism.CreateFirstStep(context)), ReadOnlyMemory<byte>.Empty, "the first client message", operation).ConfigureAwait(false);
            next = held.Hold(first.Next);
            reply = await failure.RunCommandAsync(channel, mechanism.Source, StartCommand(mechanism, first.Payload, speculative: false), "saslStart", operation).ConfigureAwait(false);
        }

        for (var round = 1; round <= MaxRoundTrips; round++)
        {
            var done = reply.GetValue("done", false).ToBoolean();
            var serverPayload = reply.TryGetValue("payload", out var p) && p is BsonBinaryData data ? data.Bytes
                : p is null ? []
                : throw failure.Create($"server message {round}", $"the server's payload is a BSON {p.BsonType}, not binary data", null, null);
            ReadOnlyMemory<byte> toSend = ReadOnlyMemory<byte>.Empty;
            if (next is not null)
            {
                var result = await failure.RunStepAsync(next, serverPayload, $"server message {round}", operation).ConfigureAwait(false);
                next = held.Hold(result.Next);
                toSend = result.Payload;
                if (done)
                {
                    if (next is null && toSend.IsEmpty)
                    {
                        return;
                    }
                    throw failure.Create($"server message {round}", "the server ended the conversation before the client's last step", null, null);
                }
            }
            else if (done)
            {
                return;
            }

            var conversationId = reply.GetValue("conversationId", BsonNull.Value);
            var saslContinue = new BsonDocument
            {
                { "saslContinue", 1 },
                { "conversationId", conversationId },
                { "payload", new BsonBinaryData(toSend.ToArray()) },
            };
            reply = await failure.RunCommandAsync(channel, mechanism.Source, saslContinue, $"saslContinue {round}", operation).ConfigureAwait(false);
        }
        throw failure.Create("saslContinue", $"the server did not finish the conversation within {MaxRoundTrips} round trips", null, null);
    }

    /// <summary>
    /// The <c>saslStart</c> command, built here only. Sent on its own it carries <c>autoAuthorize</c>; inside hello
    /// (<c>speculativeAuthenticate</c>) it names its database instead, which mongod requires there.
    /// </summary>
    public static BsonDocument StartCommand(ISaslMechanism mechanism, ReadOnlyMemory<byte> payload, bool speculative)
    {
        var command = new BsonDocument
        {
            { "saslStart", 1 },
            { "mechanism", mechanism.Name },
            { "payload", new BsonBinaryData(payload.ToArray()) },
        };
        if (!speculative)
        {
            command.Add("autoAuthorize", 1);
        }
        command.Add("options", new BsonDocument("skipEmptyExchange", true));
        if (speculative)
        {
            command.Add("db", mechanism.Source);
        }
        return command;
    }

    /// <summary>The disposable steps of one conversation, each once (a step may be its own next step).</summary>
    private sealed class HeldSteps : IDisposable
    {
        private readonly List<IDisposable> _steps = [];

        public T Hold<T>(T step) where T : ISaslStep?
        {
            if (step is IDisposable disposable && !_steps.Exists(s => ReferenceEquals(s, disposable)))
            {
                _steps.Add(disposable);
            }

            return step;
        }

        public void Dispose() => _steps.ForEach(s => s.Dispose());
    }
}
