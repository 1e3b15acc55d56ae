namespace MongoAuth.Authentication.Aws;

/// <summary>
/// The rules of MONGODB-AWS (MongoDB authentication specification): source <c>$external</c> only. Credentials come from
/// the environment (variables, web identity, ECS, EC2), from an <c>AWS_CREDENTIAL_PROVIDER</c> given from code, or as
/// explicit keys given from code on <see cref="MongoClientSettings.Credential"/> (access key id as the user name, secret
/// as the password, <c>AWS_SESSION_TOKEN</c> for temporary keys). A connection string never carries them: the
/// specification forbids user name, password and session token there, since a URI is logged and shared.
/// </summary>
internal sealed class AwsDescriptor : MechanismDescriptor
{
    /// <summary>The mechanism name.</summary>
    public const string MechanismName = "MONGODB-AWS";

    /// <summary>AWS_CREDENTIAL_PROVIDER: an <see cref="IAwsCredentialProvider"/>, given from code.</summary>
    public const string CredentialProvider = "AWS_CREDENTIAL_PROVIDER";

    /// <summary>AWS_SESSION_TOKEN: the session token of explicit temporary keys, given from code.</summary>
    public const string SessionToken = "AWS_SESSION_TOKEN";

    /// <summary>Where credentials come from, for messages.</summary>
    internal const string WhereCredentialsComeFrom =
        "AWS credentials come from the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, web identity, ECS, EC2), from an AWS_CREDENTIAL_PROVIDER, " +
        "or as explicit keys given from code (MongoCredential.CreateMongoAwsCredential(AccessKeyId, SecretAccessKey, SessionToken) on MongoClientSettings.Credential), " +
        "never from the connection string";

    private static readonly CredentialRequirement AccessKeyId = CredentialRequirement.Optional(
        "the access key id of explicit keys, given from code with the secret access key as the password");

    private static readonly CredentialRequirement SecretAccessKey = CredentialRequirement.Optional(
        "the secret access key of explicit keys, given from code with the access key id as the user name");

    private static readonly MechanismProperty[] Schema =
    [
        new(CredentialProvider, "An IAwsCredentialProvider (the AWS SDK's chain through MongoAuth.Aws, for example), used instead of the built-in chain.") { CodeOnly = true },
        new(SessionToken, "The session token of explicit temporary keys (code only; never in a connection string)."),
    ];

    private AwsDescriptor()
    {
    }

    /// <summary>The one instance.</summary>
    public static AwsDescriptor Instance { get; } = new();

    public override string Name => MechanismName;

    public override AuthSourceRule SourceRule => AuthSourceRule.ExternalOnly;

    public override CredentialRequirement Username => AccessKeyId;

    public override CredentialRequirement Password => SecretAccessKey;

    public override IReadOnlyList<MechanismProperty> Properties => Schema;

    public override string? HintFor(AuthenticationFailureEvidence evidence) =>
        evidence is { Kind: AuthenticationFailureKind.ServerError, ServerErrorCode: 18 }
            ? "STS did not accept the signed request: check that the secret matches the access key id, that temporary keys come with their " +
              "session token and have not expired, that the machine's clock is right, and that a user named by the identity's ARN exists on $external " +
              "(for an assumed role: arn:aws:sts::ACCOUNT:assumed-role/ROLE/*)."
            : null;

    public override IAuthenticationMechanism Create(MongoCredential credential, MongoClientSettings settings) => new AwsMechanism(credential);

    /// <summary>The error of a mechanism whose rules are known but whose conversation this version lacks (MONGODB-OIDC
    /// uses it until its conversation lands).</summary>
    internal static MongoConfigurationException NotImplemented(string name) => Refuse("authMechanism",
        $"{name} is not implemented in this version of MongoAuth; the credential follows its rules, but no connection can use it yet. " +
        $"To use an implementation of your own, register it: settings with {{ Mechanisms = settings.Mechanisms.WithMechanism(\"{name}\", factory) }} " +
        "(the built-in rules still apply).");

    /// <summary>A connection string gives no user name, password or AWS_SESSION_TOKEN (the specification's rule).</summary>
    internal override void CheckConnectionString(MongoCredential credential)
    {
        if (credential.Username is not null)
        {
            throw Refuse("username", $"MONGODB-AWS takes no user name in the connection string: {WhereCredentialsComeFrom}. Remove the user name and password from the URI.");
        }

        if (credential.HasPassword)
        {
            throw Refuse("password", $"MONGODB-AWS takes no password in the connection string: {WhereCredentialsComeFrom}. Remove it from the URI.");
        }

        if (credential.MechanismProperties.ContainsKey(SessionToken))
        {
            throw Refuse("authMechanismProperties", $"MONGODB-AWS takes no AWS_SESSION_TOKEN in the connection string: {WhereCredentialsComeFrom}. Remove it from authMechanismProperties.");
        }
    }

    protected override void CheckShape(MongoCredential credential)
    {
        var properties = credential.MechanismProperties;
        var keys = credential.Username is not null || credential.HasPassword;
        if (credential.Username is null && credential.HasPassword)
        {
            throw Refuse("username", "MONGODB-AWS explicit keys need both the AccessKeyId (as the user name) and the SecretAccessKey (as the password); the user name is missing.");
        }

        if (credential.Username is not null && !credential.HasPassword)
        {
            throw Refuse("password", "MONGODB-AWS explicit keys need both the AccessKeyId (as the user name) and the SecretAccessKey (as the password); the password is missing.");
        }

        if (credential.HasPassword && string.IsNullOrEmpty(credential.Password))
        {
            throw Refuse("password", "The MONGODB-AWS SecretAccessKey (the password) must not be empty.");
        }

        if (properties.ContainsKey(SessionToken) && !keys)
        {
            throw Refuse("authMechanismProperties",
                "AWS_SESSION_TOKEN belongs to explicit temporary keys: give it together with them (MongoCredential.CreateMongoAwsCredential(AccessKeyId, SecretAccessKey, SessionToken)).");
        }

        if (properties.TryGetValue(CredentialProvider, out var provider))
        {
            if (provider is not IAwsCredentialProvider)
            {
                throw Refuse("authMechanismProperties",
                    $"The MONGODB-AWS property {CredentialProvider} must be an IAwsCredentialProvider, not a {provider.GetType().Name}.");
            }

            if (keys)
            {
                throw Refuse("authMechanismProperties",
                    $"MONGODB-AWS takes explicit keys or an {CredentialProvider}, not both: the keys would always win. Remove one.");
            }
        }
    }
}
