namespace MongoAuth.Authentication.Scram;

/// <summary>
/// The rules of SCRAM-SHA-1 and SCRAM-SHA-256 (MongoDB authentication specification, RFC 5802, RFC 7677): a user
/// name and a password, no mechanism properties, source <c>authSource</c> else the database else <c>admin</c>.
/// <see cref="Negotiated"/> holds the same rules for a credential without a mechanism, whose messages say that SCRAM
/// is the default.
/// </summary>
internal sealed class ScramDescriptor : MechanismDescriptor
{
    /// <summary>The SCRAM-SHA-1 mechanism name.</summary>
    public const string Sha1Name = "SCRAM-SHA-1";

    /// <summary>The SCRAM-SHA-256 mechanism name.</summary>
    public const string Sha256Name = "SCRAM-SHA-256";

    private static readonly CredentialRequirement UserName = CredentialRequirement.Required("the user as created on the server, in the authSource database");
    private static readonly CredentialRequirement UserPassword = CredentialRequirement.Required("SCRAM proves the password without sending it");

    private readonly Func<MongoCredential, MongoClientSettings, IAuthenticationMechanism> _create;
    private readonly string _subject;

    private ScramDescriptor(string name, string subject, Func<MongoCredential, MongoClientSettings, IAuthenticationMechanism> create)
    {
        Name = name;
        _subject = subject;
        _create = create;
    }

    /// <summary>SCRAM-SHA-1.</summary>
    public static ScramDescriptor Sha1 { get; } = new(Sha1Name, Sha1Name, (c, s) => new ScramSha1Mechanism(c) { MaxIterationCount = s.MaxScramIterationCount });

    /// <summary>SCRAM-SHA-256.</summary>
    public static ScramDescriptor Sha256 { get; } = new(Sha256Name, Sha256Name, (c, s) => new ScramSha256Mechanism(c) { MaxIterationCount = s.MaxScramIterationCount });

    /// <summary>The rules of a credential without authMechanism: SCRAM, negotiated with the server.</summary>
    public static ScramDescriptor Negotiated { get; } = new(Sha256Name,
        "Without authMechanism the driver authenticates with SCRAM (SCRAM-SHA-256, or SCRAM-SHA-1 where the server lacks it), which",
        (c, s) => new ScramSha256Mechanism(c) { MaxIterationCount = s.MaxScramIterationCount });

    public override string Name { get; }

    public override AuthSourceRule SourceRule => AuthSourceRule.DatabaseOrAdmin;

    public override CredentialRequirement Username => UserName;

    public override CredentialRequirement Password => UserPassword;

    protected override string Subject => _subject;

    public override string? HintFor(AuthenticationFailureEvidence evidence) =>
        evidence is { Kind: AuthenticationFailureKind.ServerError, ServerErrorCode: 18 }
            ? "Check the user name, the password and authSource (the database the user is defined in)."
            : null;

    public override IAuthenticationMechanism Create(MongoCredential credential, MongoClientSettings settings) => _create(credential, settings);

    protected override string MissingPasswordMessage(MongoCredential credential) =>
        ReferenceEquals(this, Negotiated)
            ? $"A password is needed for user '{credential.Username}': without authMechanism the driver authenticates with SCRAM " +
              "(SCRAM-SHA-256, or SCRAM-SHA-1 where the server lacks it), which needs one. Add it to the connection string " +
              "(mongodb://<user>:<password>@<host>/…, percent-encoded), or set authMechanism to a mechanism that takes no password " +
              "(MONGODB-X509 with a client certificate, GSSAPI with a Kerberos ticket)."
            : base.MissingPasswordMessage(credential);
}
