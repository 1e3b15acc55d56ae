namespace MongoAuth.Authentication;

/// <summary>
/// The descriptor of a mechanism registered with a bare <see cref="MechanismFactory"/>: the rules of the descriptor
/// it replaces when there is one (a new implementation of a built-in keeps the built-in's rules), otherwise the
/// generic rules (user name and password optional, any property, source authSource else database else admin).
/// </summary>
internal sealed class FactoryMechanismDescriptor(string name, MechanismFactory factory, MechanismDescriptor? rules) : MechanismDescriptor
{
    private static readonly CredentialRequirement AnyUsername = CredentialRequirement.Optional("the mechanism decides what it means");
    private static readonly CredentialRequirement AnyPassword = CredentialRequirement.Optional("the mechanism decides what it means");

    public override string Name => name;

    public override AuthSourceRule SourceRule => rules?.SourceRule ?? AuthSourceRule.DatabaseOrAdmin;

    public override CredentialRequirement Username => rules?.Username ?? AnyUsername;

    public override CredentialRequirement Password => rules?.Password ?? AnyPassword;

    public override IReadOnlyList<MechanismProperty>? Properties => rules is null ? null : rules.Properties;

    public override string? HintFor(AuthenticationFailureEvidence evidence) => rules is null ? GenericHintFor(evidence) : rules.HintFor(evidence);

    /// <summary>The hint of a mechanism the driver knows no rules for: what code 18 means for any credential.</summary>
    public static string? GenericHintFor(AuthenticationFailureEvidence evidence) =>
        evidence is { Kind: AuthenticationFailureKind.ServerError, ServerErrorCode: 18 }
            ? "Check the credential (user name, password or mechanism properties) and authSource (the database the user is defined in)."
            : null;

    protected override void CheckShape(MongoCredential credential) => rules?.ValidateShape(credential);

    protected override void CheckComplete(MongoCredential credential) => rules?.Validate(credential);

    public override IAuthenticationMechanism Create(MongoCredential credential, MongoClientSettings settings) =>
        factory(credential, settings)
        ?? throw new MongoConfigurationException($"The factory registered for '{name}' returned no mechanism.") { OptionName = "authMechanism" };
}
