namespace MongoAuth.Authentication.Aws;

/// <summary>
/// The rules of MONGODB-AWS (MongoDB authentication specification): source <c>$external</c> only; no user name or
/// password in the credential (credentials come from the environment, or from an <c>AWS_CREDENTIAL_PROVIDER</c>
/// given from code). The conversation itself is not implemented yet: <see cref="Create"/> says so.
/// </summary>
internal sealed class AwsDescriptor : MechanismDescriptor
{
    /// <summary>The mechanism name.</summary>
    public const string MechanismName = "MONGODB-AWS";

    /// <summary>AWS_CREDENTIAL_PROVIDER: a provider object of AWS credentials, given from code.</summary>
    public const string CredentialProvider = "AWS_CREDENTIAL_PROVIDER";

    private const string FromEnvironment = "AWS credentials come from the environment or an AWS_CREDENTIAL_PROVIDER, never from the connection string";
    private static readonly CredentialRequirement NoUserName = CredentialRequirement.Forbidden(FromEnvironment);
    private static readonly CredentialRequirement NoPassword = CredentialRequirement.Forbidden(FromEnvironment);

    private static readonly MechanismProperty[] Schema =
    [
        new(CredentialProvider, "A provider of AWS credentials (the AWS SDK's chain, for example), tried before the environment.") { CodeOnly = true },
    ];

    private AwsDescriptor()
    {
    }

    /// <summary>The one instance.</summary>
    public static AwsDescriptor Instance { get; } = new();

    public override string Name => MechanismName;

    public override AuthSourceRule SourceRule => AuthSourceRule.ExternalOnly;

    public override CredentialRequirement Username => NoUserName;

    public override CredentialRequirement Password => NoPassword;

    public override IReadOnlyList<MechanismProperty> Properties => Schema;

    public override IAuthenticationMechanism Create(MongoCredential credential, MongoClientSettings settings) =>
        throw NotImplemented(MechanismName);

    /// <summary>The error of a mechanism whose rules are known but whose conversation this version lacks.</summary>
    internal static MongoConfigurationException NotImplemented(string name) => Refuse("authMechanism",
        $"{name} is not implemented in this version of MongoAuth; the credential follows its rules, but no connection can use it yet. " +
        $"To use an implementation of your own, register it: settings with {{ Mechanisms = settings.Mechanisms.WithMechanism(\"{name}\", factory) }} " +
        "(the built-in rules still apply).");
}
