namespace MongoAuth.Authentication.Scram;

/// <summary>
/// The client side of SCRAM as MongoDB uses it (RFC 5802 without channel binding, the MongoDB auth spec on top).
/// One instance per client: its key cache is client-wide, so every pooled connection after the first skips PBKDF2.
/// Only <see cref="ScramSha1Mechanism"/> and <see cref="ScramSha256Mechanism"/> derive from it.
/// </summary>
public abstract class ScramMechanism : ISpeculativeSaslMechanism
{

    private readonly string _password;
    private readonly Func<string> _nonceGenerator;
    private readonly Lazy<byte[]> _preparedPassword;

    private protected ScramMechanism(ScramAlgorithm algorithm, MongoCredential credential, ScramKeyCache keyCache, Func<string> nonceGenerator)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(keyCache);
        ArgumentNullException.ThrowIfNull(nonceGenerator);
        // The rules (user name, password, no properties) belong to the descriptor; a credential built from code is
        // checked here too, so a directly constructed mechanism cannot skip them.
        (algorithm.MechanismName == ScramDescriptor.Sha1Name ? ScramDescriptor.Sha1 : ScramDescriptor.Sha256).Validate(credential);

        Algorithm = algorithm;
        Username = credential.Username!;
        Source = ScramDescriptor.Sha256.ResolveSource(credential);
        KeyCache = keyCache;
        _password = credential.Password!;
        _nonceGenerator = nonceGenerator;
        // Prepared on first use, not here: a negotiated client builds SCRAM-SHA-256 speculatively even when the
        // server turns out to offer only SCRAM-SHA-1, and SASLprep must not fail such a client.
        _preparedPassword = new Lazy<byte[]>(() => Algorithm.PreparePassword(Username, _password));
    }

    /// <inheritdoc />
    public string Name => Algorithm.MechanismName;

    /// <summary>The user's database: the credential's source, else <c>admin</c>.</summary>
    public string Source { get; }

    /// <summary>Always true: SCRAM's first message needs nothing from the server.</summary>
    public bool CanSpeculate => true;

    internal ScramAlgorithm Algorithm { get; }

    internal string Username { get; }

    /// <summary>
    /// The largest iteration count this client derives keys for (<see cref="MongoClientSettings.MaxScramIterationCount"/>);
    /// a server-first message asking for more is refused before any work.
    /// </summary>
    internal int MaxIterationCount { get; init; } = ScramLimits.DefaultMaxIterationCount;

    /// <summary>The client-wide cache of derived keys (its derivation counter is read by tests and benchmarks).</summary>
    internal ScramKeyCache KeyCache { get; }

    /// <inheritdoc />
    public ISaslStep CreateFirstStep(SaslConversationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ScramClientFirstStep(this);
    }

    internal string NewNonce() => _nonceGenerator();

    internal byte[] PreparePassword(string step)
    {
        try
        {
            return _preparedPassword.Value;
        }
        catch (ArgumentException exception)
        {
            throw Failure(step, $"the password is not usable: {exception.Message}", exception);
        }
    }

    /// <summary>An authentication failure naming mechanism, user, source and step, never the password.</summary>
    internal MongoAuthenticationException Failure(string step, string reason, Exception? innerException = null) =>
        new($"{Name} authentication of user '{Username}' on database '{Source}' failed at the {step}: {reason}", innerException)
        {
            Mechanism = Name,
            Username = Username,
            AuthSource = Source,
            Step = $"the {step}",
        };
}
