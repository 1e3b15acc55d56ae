using MongoAuth.Authentication;

namespace MongoAuth;

public sealed partial class MongoCredential
{
    /// <summary>
    /// The rules that hold whatever is added later, checked when the credential is built or parsed: the generic ones
    /// (no empty mechanism, source or user name; MONGODB-CR is gone), then the built-in mechanism's
    /// <see cref="MechanismDescriptor.ValidateShape"/>. A mechanism that is not built in gets the generic rules here and
    /// its registered descriptor's rules when the client is built. Messages never contain the password.
    /// </summary>
    internal void ValidateShape()
    {
        ValidateGeneric();
        Descriptor?.ValidateShape(this);
    }

    /// <summary>
    /// Every rule, including what must be present before the client starts (a password for SCRAM and PLAIN; an
    /// ENVIRONMENT or a callback for OIDC), with the descriptor <paramref name="registry"/> holds for the mechanism
    /// (the built-in one when the registry has none). Called by <see cref="MongoClientSettings.Validate()"/>.
    /// </summary>
    internal void ValidateComplete(MechanismRegistry? registry = null)
    {
        ValidateGeneric();
        var descriptor = Mechanism is { } name ? registry?.Find(name) ?? Descriptor : Descriptor;
        descriptor?.Validate(this);
    }

    private void ValidateGeneric()
    {
        Require(Mechanism is null || Mechanism.Length > 0, "authMechanism", "The mechanism name must not be empty: remove authMechanism= or name a mechanism.");
        Require(!"MONGODB-CR".Equals(Mechanism, StringComparison.OrdinalIgnoreCase), "authMechanism", "MONGODB-CR was removed from MongoDB; use SCRAM-SHA-256 or SCRAM-SHA-1.");
        Require(Source is null || Source.Length > 0, "authSource", "The authentication source must not be empty: remove authSource= or name the database.");
        Require(Username is null || Username.Length > 0, "username", "The user name must not be empty.");
    }

    private static void Require(bool ok, string option, string message)
    {
        if (!ok)
        {
            throw new MongoConfigurationException(message) { OptionName = option };
        }
    }
}
