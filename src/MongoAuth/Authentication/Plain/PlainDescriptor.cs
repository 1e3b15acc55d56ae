namespace MongoAuth.Authentication.Plain;

/// <summary>
/// The rules of PLAIN (RFC 4616, LDAP proxy authentication): a user name and a password, no mechanism properties,
/// source <c>authSource</c> else the database else <c>$external</c>.
/// </summary>
internal sealed class PlainDescriptor : MechanismDescriptor
{
    /// <summary>The mechanism name.</summary>
    public const string MechanismName = "PLAIN";

    private static readonly CredentialRequirement UserName = CredentialRequirement.Required("the LDAP user the server binds as");
    private static readonly CredentialRequirement UserPassword = CredentialRequirement.Required("the LDAP password, sent to the server as it is");

    private PlainDescriptor()
    {
    }

    /// <summary>The one instance.</summary>
    public static PlainDescriptor Instance { get; } = new();

    public override string Name => MechanismName;

    public override AuthSourceRule SourceRule => AuthSourceRule.DatabaseOrExternal;

    public override CredentialRequirement Username => UserName;

    public override CredentialRequirement Password => UserPassword;

    public override string? HintFor(AuthenticationFailureEvidence evidence) =>
        evidence is { Kind: AuthenticationFailureKind.ServerError, ServerErrorCode: 18 }
            ? "Check the user name and password against the LDAP directory, and authSource ($external by default)."
            : null;

    public override IAuthenticationMechanism Create(MongoCredential credential, MongoClientSettings settings) =>
        new PlainMechanism(credential, settings.AllowPlainOverUnverifiedConnection);
}
