using System.Collections;

namespace MongoAuth.Authentication.Oidc;

/// <summary>
/// The rules of MONGODB-OIDC (MongoDB authentication specification): source <c>$external</c> only, no password, an
/// optional user name (none with ENVIRONMENT:test), and either a built-in ENVIRONMENT (test, azure, gcp, k8s; azure and
/// gcp need TOKEN_RESOURCE) or a callback given from code (OIDC_CALLBACK or OIDC_HUMAN_CALLBACK, not both; the human
/// flow may restrict hosts with ALLOWED_HOSTS). Everything is checked when the client is built; the conversation is
/// <see cref="OidcMechanism"/>.
/// </summary>
internal sealed class OidcDescriptor : MechanismDescriptor
{
    /// <summary>The mechanism name.</summary>
    public const string MechanismName = "MONGODB-OIDC";

    public const string Environment = "ENVIRONMENT";
    public const string TokenResource = "TOKEN_RESOURCE";
    public const string Callback = "OIDC_CALLBACK";
    public const string HumanCallback = "OIDC_HUMAN_CALLBACK";
    public const string AllowedHosts = "ALLOWED_HOSTS";

    private static readonly CredentialRequirement UserName = CredentialRequirement.Optional(
        "the principal: the client_id for azure, the user the human flow signs in");

    private static readonly CredentialRequirement NoPassword = CredentialRequirement.Forbidden("tokens come from ENVIRONMENT or a callback");

    private static readonly MechanismProperty[] Schema =
    [
        new(Environment, "A built-in source of tokens: test, azure, gcp or k8s.") { AllowedValues = ["test", "azure", "gcp", "k8s"] },
        new(TokenResource, "The audience of the token; required with ENVIRONMENT azure and gcp, refused otherwise."),
        new(Callback, "The machine callback that returns a token (code only).") { CodeOnly = true },
        new(HumanCallback, "The human-flow callback that signs a user in (code only).") { CodeOnly = true },
        new(AllowedHosts, "The hosts the human flow may send tokens to (code only, a list of host names, *. wildcards).") { CodeOnly = true },
        new(Aws.AwsDescriptor.CredentialProvider, "A provider of AWS credentials (code only).") { CodeOnly = true },
    ];

    private OidcDescriptor()
    {
    }

    /// <summary>The one instance.</summary>
    public static OidcDescriptor Instance { get; } = new();

    public override string Name => MechanismName;

    public override AuthSourceRule SourceRule => AuthSourceRule.ExternalOnly;

    public override CredentialRequirement Username => UserName;

    public override CredentialRequirement Password => NoPassword;

    public override IReadOnlyList<MechanismProperty> Properties => Schema;

    protected override void CheckShape(MongoCredential credential)
    {
        var properties = credential.MechanismProperties;
        var environment = (properties.GetValueOrDefault(Environment) as string)?.ToLowerInvariant();
        var machine = properties.ContainsKey(Callback);
        var human = properties.ContainsKey(HumanCallback);
        Check(!(machine && human), "Give OIDC_CALLBACK or OIDC_HUMAN_CALLBACK, not both.");
        Check(environment is null || !(machine || human), "Give ENVIRONMENT or a callback, not both: remove ENVIRONMENT from authMechanismProperties or the callback from the credential.");
        Check(!properties.ContainsKey(TokenResource) || environment is "azure" or "gcp", "TOKEN_RESOURCE applies only to ENVIRONMENT azure or gcp; remove it.");
        if (environment == "test" && credential.Username is not null)
        {
            throw Refuse("username", "MONGODB-OIDC with ENVIRONMENT:test takes no user name; remove it from the connection string.");
        }

        Check(properties.GetValueOrDefault(Callback) is null or IOidcCallback && properties.GetValueOrDefault(HumanCallback) is null or IOidcCallback,
            "OIDC_CALLBACK and OIDC_HUMAN_CALLBACK must be an IOidcCallback (for example OidcCallback.Create(async (parameters, cancellationToken) => new OidcToken(...))).");
        Check(environment is null || !properties.ContainsKey(AllowedHosts), "ALLOWED_HOSTS applies only to the human callback flow, not to ENVIRONMENT; remove it.");
        Check(!properties.TryGetValue(AllowedHosts, out var hosts) || (hosts is IEnumerable list and not string && list.Cast<object?>().All(h => h is string)),
            "ALLOWED_HOSTS must be a list of host names (e.g. new[] { \"*.example.com\" }).");
    }

    protected override void CheckComplete(MongoCredential credential)
    {
        var properties = credential.MechanismProperties;
        var environment = (properties.GetValueOrDefault(Environment) as string)?.ToLowerInvariant();
        Check(environment is not null || properties.ContainsKey(Callback) || properties.ContainsKey(HumanCallback),
            "MONGODB-OIDC needs ENVIRONMENT (test, azure, gcp, k8s) in authMechanismProperties, or a callback (OIDC_CALLBACK or OIDC_HUMAN_CALLBACK) from code.");
        Check(environment is not ("azure" or "gcp") || properties.ContainsKey(TokenResource),
            $"MONGODB-OIDC with ENVIRONMENT:{environment} needs TOKEN_RESOURCE (the token's audience) in authMechanismProperties.");
    }

    public override IAuthenticationMechanism Create(MongoCredential credential, MongoClientSettings settings) => new OidcMechanism(credential);

    public override string? HintFor(AuthenticationFailureEvidence evidence) =>
        evidence is { Kind: AuthenticationFailureKind.ServerError, ServerErrorCode: 18 }
            ? "The server refused the token: check its audience (TOKEN_RESOURCE or the callback's), issuer and expiry against the server's oidcIdentityProviders, and that the principal claim names a user the server knows."
            : null;

    private static void Check(bool ok, string message)
    {
        if (!ok)
        {
            throw Refuse("authMechanismProperties", message);
        }
    }
}
