using System.Collections;

namespace MongoAuth;

public sealed partial class MongoCredential
{
    private static readonly string[] GssapiProperties = ["SERVICE_NAME", "CANONICALIZE_HOST_NAME", "SERVICE_REALM", "SERVICE_HOST"];
    private static readonly string[] CanonicalizeValues = ["none", "forward", "forwardAndReverse", "true", "false"];
    private static readonly string[] OidcProperties = ["ENVIRONMENT", "TOKEN_RESOURCE", "OIDC_CALLBACK", "OIDC_HUMAN_CALLBACK", "ALLOWED_HOSTS", "AWS_CREDENTIAL_PROVIDER"];
    private static readonly string[] OidcEnvironments = ["test", "azure", "gcp", "k8s"];
    private static readonly string[] CodeOnlyProperties = ["OIDC_CALLBACK", "OIDC_HUMAN_CALLBACK", "ALLOWED_HOSTS", "AWS_CREDENTIAL_PROVIDER"];

    /// <summary>
    /// The rules that hold for any credential of its mechanism, checked when it is built: user name, password,
    /// source and which properties with which values (auth.md §1–§7). Messages never contain the password.
    /// </summary>
    internal void ValidateShape()
    {
        Require(Mechanism is null || Mechanism.Length > 0, "authMechanism", "The mechanism name must not be empty.");
        Require(!"MONGODB-CR".Equals(Mechanism, StringComparison.OrdinalIgnoreCase), "authMechanism", "MONGODB-CR was removed from MongoDB; use SCRAM-SHA-256 or SCRAM-SHA-1.");
        Require(Source is null || Source.Length > 0, "authSource", "The authentication source must not be empty.");
        Require(Username is null || Username.Length > 0, "username", "The user name must not be empty.");
        if (!BuiltInMechanisms.Contains(Mechanism) && Mechanism is not null)
        {
            return;
        }

        if (ExternalOnly.Contains(Mechanism))
        {
            Require(Source is null or External, "authSource", $"{Mechanism} authenticates against $external only; remove authSource.");
        }

        switch (Mechanism)
        {
            case null or ScramSha1 or ScramSha256 or Plain:
                Require(Username is not null, "username", $"{Name} needs a user name.");
                Require(HasPassword, "password", $"{Name} needs a password.");
                RequireNoProperties();
                break;
            case Gssapi:
                Require(Username is not null, "username", "GSSAPI needs a user name (user or user@REALM).");
                RequireKnownProperties(GssapiProperties);
                ValidateGssapiProperties();
                break;
            case X509:
                Require(!HasPassword, "password", "MONGODB-X509 takes no password: the client certificate authenticates.");
                RequireNoProperties();
                break;
            case Aws:
                Require(Username is null && !HasPassword, "username", "MONGODB-AWS takes no user name or password: credentials come from the environment or an AWS_CREDENTIAL_PROVIDER.");
                RequireKnownProperties(["AWS_CREDENTIAL_PROVIDER"]);
                break;
            default:
                ValidateOidcShape();
                break;
        }

        foreach (var name in CodeOnlyProperties)
        {
            Require(!MechanismProperties.TryGetValue(name, out var value) || value is not string, "authMechanismProperties",
                $"The mechanism property {name} can be given only from code (WithMechanismProperty), not as text.");
        }
    }

    /// <summary>What must be there before the client starts (OIDC needs an ENVIRONMENT or a callback, azure and
    /// gcp need TOKEN_RESOURCE). Called by <see cref="MongoClientSettings.Validate"/>.</summary>
    internal void ValidateComplete()
    {
        ValidateShape();
        if (Mechanism != Oidc)
        {
            return;
        }

        var environment = GetMechanismProperty<string>("ENVIRONMENT");
        var hasCallback = MechanismProperties.ContainsKey("OIDC_CALLBACK") || MechanismProperties.ContainsKey("OIDC_HUMAN_CALLBACK");
        Require(environment is not null || hasCallback, "authMechanismProperties", "MONGODB-OIDC needs ENVIRONMENT (test, azure, gcp, k8s) or a callback.");
        Require(environment is not ("azure" or "gcp") || MechanismProperties.ContainsKey("TOKEN_RESOURCE"), "authMechanismProperties",
            $"MONGODB-OIDC with ENVIRONMENT:{environment} needs TOKEN_RESOURCE.");
    }

    private void ValidateGssapiProperties()
    {
        foreach (var name in GssapiProperties)
        {
            Require(!MechanismProperties.TryGetValue(name, out var value) || value is bool || (value is string s && s.Length > 0), "authMechanismProperties",
                $"The GSSAPI property {name} must be a non-empty string.");
        }

        if (MechanismProperties.TryGetValue("CANONICALIZE_HOST_NAME", out var canonicalize) && canonicalize is string text)
        {
            Require(CanonicalizeValues.Contains(text, StringComparer.OrdinalIgnoreCase), "authMechanismProperties",
                "CANONICALIZE_HOST_NAME must be none, forward, forwardAndReverse, true or false.");
        }
    }

    private void ValidateOidcShape()
    {
        Require(!HasPassword, "password", "MONGODB-OIDC takes no password: tokens come from ENVIRONMENT or a callback.");
        RequireKnownProperties(OidcProperties);
        var environment = MechanismProperties.TryGetValue("ENVIRONMENT", out var e) ? e as string : null;
        Require(!MechanismProperties.ContainsKey("ENVIRONMENT") || (environment is not null && OidcEnvironments.Contains(environment)), "authMechanismProperties",
            "ENVIRONMENT must be test, azure, gcp or k8s.");
        var machine = MechanismProperties.ContainsKey("OIDC_CALLBACK");
        var human = MechanismProperties.ContainsKey("OIDC_HUMAN_CALLBACK");
        Require(!(machine && human), "authMechanismProperties", "Give OIDC_CALLBACK or OIDC_HUMAN_CALLBACK, not both.");
        Require(environment is null || !(machine || human), "authMechanismProperties", "Give ENVIRONMENT or a callback, not both.");
        Require(!MechanismProperties.ContainsKey("TOKEN_RESOURCE") || environment is "azure" or "gcp", "authMechanismProperties",
            "TOKEN_RESOURCE applies only to ENVIRONMENT azure or gcp.");
        Require(environment != "test" || Username is null, "username", "MONGODB-OIDC with ENVIRONMENT:test takes no user name.");
        Require(environment is null || !MechanismProperties.ContainsKey("ALLOWED_HOSTS"), "authMechanismProperties",
            "ALLOWED_HOSTS applies only to the human callback flow, not to ENVIRONMENT.");
        Require(!MechanismProperties.TryGetValue("ALLOWED_HOSTS", out var hosts) || hosts is string || (hosts is IEnumerable list && list.Cast<object?>().All(h => h is string)),
            "authMechanismProperties", "ALLOWED_HOSTS must be a list of host names.");
    }

    private void RequireNoProperties() =>
        Require(MechanismProperties.IsEmpty, "authMechanismProperties", $"{Name} takes no mechanism properties.");

    private void RequireKnownProperties(string[] allowed)
    {
        foreach (var name in MechanismProperties.Keys)
        {
            Require(allowed.Contains(name, StringComparer.OrdinalIgnoreCase), "authMechanismProperties",
                $"{Mechanism} does not take the mechanism property {name}; it takes {string.Join(", ", allowed)}.");
        }
    }

    private string Name => Mechanism ?? "A credential with a negotiated mechanism";

    private static void Require(bool ok, string option, string message)
    {
        if (!ok)
        {
            throw new MongoConfigurationException(message) { OptionName = option };
        }
    }
}
