using MongoAuth.Connections;
using MongoAuth.Operations;
using MongoDB.Bson;

namespace MongoAuth.Authentication;

/// <summary>
/// The authentication of one connection while it opens: what it adds to hello (<c>saslSupportedMechs</c> when the
/// mechanism is negotiated, <c>speculativeAuthenticate</c> when the mechanism can speculate), then the rest of the
/// conversation from hello's reply. Created by <see cref="Authenticator.Begin"/>; used once.
/// </summary>
internal sealed class AuthenticationSession
{
    private readonly Authenticator _authenticator;
    private readonly SaslConversationContext _context;
    private IAuthenticationMechanism? _speculated;
    private ISaslStep? _speculativeNextStep;

    internal AuthenticationSession(Authenticator authenticator, SaslConversationContext context)
    {
        _authenticator = authenticator;
        _context = context;
    }

    /// <summary>The mechanism that speculated in hello, if one did.</summary>
    public IAuthenticationMechanism? SpeculativeMechanism => _speculated;

    /// <summary>Whether the conversation continues from hello's speculative reply (set once it is known, for the logs).</summary>
    public bool UsesSpeculation { get; private set; }

    /// <summary>Adds this connection's authentication fields to <paramref name="hello"/> (may run the first SASL step).</summary>
    public async Task AddToHelloAsync(BsonDocument hello, OperationContext operation)
    {
        if (_authenticator.SaslSupportedMechsQuery is { } query)
        {
            hello["saslSupportedMechs"] = query;
        }
        switch (_authenticator.Configured)
        {
            case ISpeculativeSaslMechanism { CanSpeculate: true } sasl:
                var failure = _authenticator.FailureFor(sasl, _context, speculative: true);
                var first = await failure.RunStepAsync(sasl.CreateFirstStep(_context), ReadOnlyMemory<byte>.Empty, "the first client message", operation).ConfigureAwait(false);
                hello["speculativeAuthenticate"] = SaslConversation.StartCommand(sasl, first.Payload, speculative: true);
                _speculated = sasl;
                _speculativeNextStep = first.Next;
                break;
            case ICommandMechanism { CanSpeculate: true } command:
                // Like the SASL form, the speculative document names its database (mongod requires "db").
                hello["speculativeAuthenticate"] = command.CreateCommand(_context).Add("db", command.Source);
                _speculated = command;
                break;
        }
    }

    /// <summary>Finishes authentication after <paramref name="hello"/>; returns the mechanism that authenticated.</summary>
    public Task<IAuthenticationMechanism> CompleteAsync(ICommandChannel channel, HelloResult hello, OperationContext operation) =>
        CompleteAsync(channel, hello.SaslSupportedMechs, hello.SpeculativeAuthenticate, operation);

    /// <summary>
    /// Finishes authentication from hello's <c>saslSupportedMechs</c> and <c>speculativeAuthenticate</c> reply,
    /// continuing the speculative conversation when the server answered it and the chosen mechanism is the one that
    /// speculated. Returns the mechanism that authenticated the connection (kept for reauthentication).
    /// </summary>
    public async Task<IAuthenticationMechanism> CompleteAsync(
        ICommandChannel channel, IReadOnlyList<string>? serverMechanisms, BsonDocument? speculativeReply, OperationContext operation)
    {
        var mechanism = _authenticator.Choose(serverMechanisms);
        var usesSpeculation = speculativeReply is not null && ReferenceEquals(mechanism, _speculated);
        UsesSpeculation = usesSpeculation;
        if (_speculated is not null && !usesSpeculation)
        {
            (_speculated as IAuthenticationErrorHandler)?.OnAuthenticationFailed(_context, null, speculative: true);
            // The conversation that speculated will not continue; release what its next step holds.
            (_speculativeNextStep as IDisposable)?.Dispose();
        }
        var failure = _authenticator.FailureFor(mechanism, _context, speculative: false);
        switch (mechanism)
        {
            case ISaslMechanism sasl:
                await SaslConversation.RunAsync(sasl, channel, _context, failure,
                    usesSpeculation ? speculativeReply : null, usesSpeculation ? _speculativeNextStep : null, operation).ConfigureAwait(false);
                break;
            case ICommandMechanism command when !usesSpeculation:
                await failure.RunCommandAsync(channel, command.Source, command.CreateCommand(_context), "authenticate", operation).ConfigureAwait(false);
                break;
            case ICommandMechanism:
                break;
            default:
                throw new MongoConfigurationException(
                    $"The mechanism '{mechanism.Name}' implements neither ISaslMechanism nor ICommandMechanism, so it cannot authenticate.");
        }
        return mechanism;
    }
}
