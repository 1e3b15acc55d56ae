using MongoAuth.Authentication.Scram;
using MongoAuth.Operations;

namespace MongoAuth.Authentication;

/// <summary>
/// The authentication of one client: its mechanism instance(s), created once when the client is built, and the
/// per-connection flow (<see cref="Begin"/>: handshake additions and the conversation; reauthentication). When no
/// mechanism is configured it negotiates (authentication specification, "Default Authentication Methods"): it asks for <c>saslSupportedMechs</c>, speculates with SCRAM-SHA-256, and uses SCRAM-SHA-256 if
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

    /// <summary>The configured mechanism (SCRAM-SHA-256 when negotiated).</summary>
    internal IAuthenticationMechanism Configured => _configured;

    /// <summary><c>saslSupportedMechs</c> for hello (<c>source.user</c>) when the mechanism is negotiated; otherwise null.</summary>
    internal string? SaslSupportedMechsQuery => IsNegotiated ? ScramNegotiation.SaslSupportedMechsQuery(_configured.Source, _username ?? string.Empty) : null;

    /// <summary>Starts authenticating one connection: the session adds to hello, then completes after it.</summary>
    public AuthenticationSession Begin(SaslConversationContext context) => new(this, context);

    internal AuthenticationFailure FailureFor(IAuthenticationMechanism mechanism, SaslConversationContext context, bool speculative) =>
        new(mechanism, _username, context, speculative, _registry.Find(mechanism.Name));

    /// <summary>
    /// Reauthenticates a connection after code 391: a fresh SASL conversation on the same connection, without hello or
    /// speculation. Mechanisms that are not SASL cannot be reauthenticated; then <paramref name="cause"/> is rethrown.
    /// </summary>
    public async Task ReauthenticateAsync(
        ICommandChannel channel, SaslConversationContext context, IAuthenticationMechanism mechanism, MongoCommandException cause, OperationContext operation)
    {
        if (mechanism is not ISaslMechanism sasl)
        {
            throw cause;
        }
        (mechanism as IReauthenticatingMechanism)?.PrepareReauthentication(context);
        var failure = new AuthenticationFailure(sasl, _username, context, speculative: false, _registry.Find(sasl.Name));
        await SaslConversation.RunAsync(sasl, channel, context, failure, null, null, operation).ConfigureAwait(false);
    }

    internal IAuthenticationMechanism Choose(IReadOnlyList<string>? serverMechanisms) =>
        _fallback is null || ScramNegotiation.Choose(serverMechanisms) == ScramSha256 ? _configured : _fallback;
}
