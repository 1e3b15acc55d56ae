using MongoAuth.Authentication.Scram;
using MongoDB.Bson;

namespace MongoAuth.Authentication;

/// <summary>
/// The authentication of one client: its mechanism instance(s), created once when the client is built, and the
/// per-connection flow (handshake additions, the conversation, reauthentication). When no mechanism is configured it
/// negotiates (§0.2): it asks for <c>saslSupportedMechs</c>, speculates with SCRAM-SHA-256, and uses SCRAM-SHA-256 if
/// the server lists it, otherwise SCRAM-SHA-1.
/// </summary>
internal sealed class Authenticator
{
    private const string ScramSha1 = "SCRAM-SHA-1";
    private const string ScramSha256 = ScramNegotiation.SpeculativeMechanism;

    private readonly IAuthenticationMechanism _configured;
    private readonly IAuthenticationMechanism? _fallback;
    private readonly string? _username;
    private readonly MechanismRegistry _registry;

    private Authenticator(IAuthenticationMechanism configured, IAuthenticationMechanism? fallback, string? username, MechanismRegistry registry)
    {
        _configured = configured;
        _fallback = fallback;
        _username = username;
        _registry = registry;
    }

    /// <summary>Whether the mechanism is negotiated from the server's <c>saslSupportedMechs</c>.</summary>
    public bool IsNegotiated => _fallback is not null;

    /// <summary>The configured mechanism's name (SCRAM-SHA-256 when negotiated).</summary>
    public string MechanismName => _configured.Name;

    /// <summary>PBKDF2 runs of this client's SCRAM key caches so far (0 for other mechanisms); read by the benchmarks.</summary>
    public long ScramKeyDerivations => DerivationsOf(_configured) + DerivationsOf(_fallback);

    /// <summary>Builds the client's authenticator, or null without a credential. Throws
    /// <see cref="MongoConfigurationException"/> when the mechanism is not registered or rejects the credential.</summary>
    public static Authenticator? Create(MongoClientSettings settings)
    {
        var credential = settings.Credential;
        if (credential is null)
        {
            return null;
        }
        if (credential.Mechanism is { } name)
        {
            return new Authenticator(settings.Mechanisms.Create(name, credential, settings), null, credential.Username, settings.Mechanisms);
        }
        var sha256 = settings.Mechanisms.Create(ScramSha256, credential, settings);
        var sha1 = settings.Mechanisms.Create(ScramSha1, credential, settings);
        return new Authenticator(sha256, sha1, credential.Username, settings.Mechanisms);
    }

    private static long DerivationsOf(IAuthenticationMechanism? mechanism) =>
        mechanism is ScramMechanism scram ? scram.KeyCache.DerivationCount : 0;

    /// <summary>What this connection's handshake carries: saslSupportedMechs and/or speculativeAuthenticate.</summary>
    public async Task<SpeculativeAuthentication> PrepareHandshakeAsync(SaslConversationContext context, CancellationToken cancellationToken)
    {
        var saslSupportedMechs = IsNegotiated ? ScramNegotiation.SaslSupportedMechsQuery(_configured.Source, _username ?? string.Empty) : null;
        switch (_configured)
        {
            case ISpeculativeSaslMechanism { CanSpeculate: true } sasl:
                var failure = new AuthenticationFailure(sasl, _username, context, speculative: true, _registry.Find(sasl.Name));
                var first = await failure.RunStepAsync(sasl.CreateFirstStep(context), ReadOnlyMemory<byte>.Empty, "the first client message", cancellationToken).ConfigureAwait(false);
                var document = new BsonDocument
                {
                    { "saslStart", 1 },
                    { "mechanism", sasl.Name },
                    { "payload", new BsonBinaryData(first.Payload.ToArray()) },
                    { "options", new BsonDocument("skipEmptyExchange", true) },
                    { "db", sasl.Source },
                };
                return new SpeculativeAuthentication { SaslSupportedMechs = saslSupportedMechs, Document = document, Mechanism = sasl, NextStep = first.Next };
            case ICommandMechanism { CanSpeculate: true } command:
                // Like the SASL form, the speculative document names its database (mongod requires "db").
                var speculative = command.CreateCommand(context).Add("db", command.Source);
                return new SpeculativeAuthentication { SaslSupportedMechs = saslSupportedMechs, Document = speculative, Mechanism = command };
            default:
                return saslSupportedMechs is null ? SpeculativeAuthentication.None : new SpeculativeAuthentication { SaslSupportedMechs = saslSupportedMechs };
        }
    }

    /// <summary>
    /// Authenticates a connection after its handshake, continuing from the speculative reply when there is one.
    /// Returns the mechanism that authenticated the connection (kept for reauthentication).
    /// </summary>
    public async Task<IAuthenticationMechanism> AuthenticateAsync(
        ICommandChannel channel,
        SaslConversationContext context,
        SpeculativeAuthentication speculation,
        IReadOnlyList<string>? serverMechanisms,
        BsonDocument? speculativeReply,
        CancellationToken cancellationToken)
    {
        var mechanism = Choose(serverMechanisms);
        var usesSpeculation = speculativeReply is not null && ReferenceEquals(mechanism, speculation.Mechanism);
        if (speculation.Mechanism is not null && !usesSpeculation)
        {
            (speculation.Mechanism as IAuthenticationErrorHandler)?.OnAuthenticationFailed(context, null, speculative: true);
            // The conversation that speculated will not continue; release what its next step holds.
            (speculation.NextStep as IDisposable)?.Dispose();
        }
        var failure = new AuthenticationFailure(mechanism, _username, context, speculative: false, _registry.Find(mechanism.Name));
        switch (mechanism)
        {
            case ISaslMechanism sasl:
                await SaslConversation.RunAsync(sasl, channel, context, failure,
                    usesSpeculation ? speculativeReply : null, usesSpeculation ? speculation.NextStep : null, cancellationToken).ConfigureAwait(false);
                break;
            case ICommandMechanism command when !usesSpeculation:
                await failure.RunCommandAsync(channel, command.Source, command.CreateCommand(context), "authenticate", cancellationToken).ConfigureAwait(false);
                break;
            case ICommandMechanism:
                break;
            default:
                throw new MongoConfigurationException(
                    $"The mechanism '{mechanism.Name}' implements neither ISaslMechanism nor ICommandMechanism, so it cannot authenticate.");
        }
        return mechanism;
    }

    /// <summary>
    /// Reauthenticates a connection after code 391: a fresh SASL conversation on the same connection, without hello or
    /// speculation. Mechanisms that are not SASL cannot be reauthenticated; then <paramref name="cause"/> is rethrown.
    /// </summary>
    public async Task ReauthenticateAsync(
        ICommandChannel channel, SaslConversationContext context, IAuthenticationMechanism mechanism, MongoCommandException cause, CancellationToken cancellationToken)
    {
        if (mechanism is not ISaslMechanism sasl)
        {
            throw cause;
        }
        (mechanism as IReauthenticatingMechanism)?.PrepareReauthentication(context);
        var failure = new AuthenticationFailure(sasl, _username, context, speculative: false, _registry.Find(sasl.Name));
        await SaslConversation.RunAsync(sasl, channel, context, failure, null, null, cancellationToken).ConfigureAwait(false);
    }

    private IAuthenticationMechanism Choose(IReadOnlyList<string>? serverMechanisms) =>
        _fallback is null || ScramNegotiation.Choose(serverMechanisms) == ScramSha256 ? _configured : _fallback;
}
