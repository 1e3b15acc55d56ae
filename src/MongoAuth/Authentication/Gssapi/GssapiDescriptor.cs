namespace MongoAuth.Authentication.Gssapi;

/// <summary>
/// The rules of GSSAPI (Kerberos v5, RFC 4752): a user name (the principal, user or user@REALM), an optional password
/// (without one the ticket cache or keytab is used), source <c>$external</c> only, and the properties SERVICE_NAME
/// (default <c>mongodb</c>), CANONICALIZE_HOST_NAME (default <c>none</c>), SERVICE_REALM and SERVICE_HOST.
/// </summary>
internal sealed class GssapiDescriptor : MechanismDescriptor
{
    /// <summary>The mechanism name.</summary>
    public const string MechanismName = "GSSAPI";

    /// <summary>SERVICE_NAME: the service part of the server's principal.</summary>
    public const string ServiceName = "SERVICE_NAME";

    /// <summary>CANONICALIZE_HOST_NAME: how the host in the server's principal is canonicalized.</summary>
    public const string CanonicalizeHostName = "CANONICALIZE_HOST_NAME";

    /// <summary>SERVICE_REALM: the realm of the server's principal.</summary>
    public const string ServiceRealm = "SERVICE_REALM";

    /// <summary>SERVICE_HOST: the host in the server's principal, instead of the connection's host.</summary>
    public const string ServiceHost = "SERVICE_HOST";

    /// <summary>The default SERVICE_NAME (the MongoDB authentication specification).</summary>
    public const string DefaultServiceName = "mongodb";

    /// <summary>The default CANONICALIZE_HOST_NAME: use the host as given.</summary>
    public const string DefaultCanonicalizeHostName = "none";

    private static readonly CredentialRequirement UserName = CredentialRequirement.Required("the Kerberos principal, user or user@REALM");
    private static readonly CredentialRequirement UserPassword = CredentialRequirement.Optional(
        "the Kerberos password; without it the ticket cache or keytab of the user is used");

    private static readonly MechanismProperty[] Schema =
    [
        new(ServiceName, "The service part of the server's principal (SERVICE_NAME/host).") { DefaultValue = DefaultServiceName },
        new(CanonicalizeHostName, "How the host in the server's principal is canonicalized: none, forward (follow CNAMEs) or forwardAndReverse (reverse DNS); legacy true = forwardAndReverse, false = none.")
        {
            DefaultValue = DefaultCanonicalizeHostName,
            AllowedValues = ["none", "forward", "forwardAndReverse", "true", "false"],
        },
        new(ServiceRealm, "The realm of the server's principal when it differs from the user's (cross-realm)."),
        new(ServiceHost, "The host in the server's principal, instead of the host connected to."),
    ];

    private GssapiDescriptor()
    {
    }

    /// <summary>The one instance.</summary>
    public static GssapiDescriptor Instance { get; } = new();

    public override string Name => MechanismName;

    public override AuthSourceRule SourceRule => AuthSourceRule.ExternalOnly;

    public override CredentialRequirement Username => UserName;

    public override CredentialRequirement Password => UserPassword;

    public override IReadOnlyList<MechanismProperty> Properties => Schema;

    public override string? HintFor(AuthenticationFailureEvidence evidence) =>
        evidence is { Kind: AuthenticationFailureKind.ServerError, ServerErrorCode: 18 }
            ? "Check that the Kerberos principal exists as a user on $external and that SERVICE_NAME matches the server."
            : null;

    public override IAuthenticationMechanism Create(MongoCredential credential, MongoClientSettings settings) => new GssapiMechanism(credential);
}
