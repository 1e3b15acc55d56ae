using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using MongoAuth.Authentication;

namespace MongoAuth;

public sealed partial class MongoCredential
{
    /// <summary>
    /// The database authentication runs against, by the mechanism's rule (<see cref="MechanismDescriptor.SourceRule"/>):
    /// <c>$external</c> for GSSAPI, X.509, AWS and OIDC; the source or <c>$external</c> for PLAIN; the source or
    /// <c>admin</c> for SCRAM, negotiated credentials and mechanisms that are not built in.
    /// </summary>
    public string EffectiveSource => (Descriptor?.SourceRule ?? AuthSourceRule.DatabaseOrAdmin).Resolve(Source);

    /// <summary>
    /// The mechanism properties as the mechanism will use them: those given, plus the built-in mechanism's defaults for
    /// those not given (GSSAPI: <c>SERVICE_NAME=mongodb</c>, <c>CANONICALIZE_HOST_NAME=none</c>). Names compare
    /// case-insensitively. <see cref="MechanismProperties"/> holds only what was given.
    /// </summary>
    public ImmutableDictionary<string, object> EffectiveMechanismProperties =>
        Descriptor?.WithDefaults(MechanismProperties) ?? MechanismProperties;

    /// <summary>The rules of the credential's mechanism when it is built in (negotiated SCRAM for no mechanism);
    /// null for a mechanism the application registers.</summary>
    internal MechanismDescriptor? Descriptor => BuiltInMechanisms.Find(Mechanism);

    /// <summary>Reads a mechanism property (case-insensitive name) as <typeparamref name="T"/>, the mechanism's
    /// default when the credential does not give it (see <see cref="EffectiveMechanismProperties"/>); <c>default</c>
    /// when neither exists. A string is converted to bool or int when asked for one.</summary>
    /// <exception cref="MongoConfigurationException">The value is present but not a <typeparamref name="T"/>.</exception>
    public T? GetMechanismProperty<T>(string name)
    {
        if (!EffectiveMechanismProperties.TryGetValue(name, out var value))
        {
            return default;
        }

        switch (value)
        {
            case T typed:
                return typed;
            case string text when typeof(T) == typeof(bool) && bool.TryParse(text, out var flag):
                return (T)(object)flag;
            case string text when typeof(T) == typeof(int) && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number):
                return (T)(object)number;
            default:
                throw new MongoConfigurationException(
                    $"The mechanism property {name} of {Mechanism ?? "the credential"} is a {value.GetType().Name}, not a {typeof(T).Name}.")
                { OptionName = "authMechanismProperties" };
        }
    }

    /// <summary>
    /// Mechanism, source, user and the names of the properties the mechanism knows; never the password or any
    /// property value (which may be secret). Names the mechanism does not know are only counted: when a secret value
    /// holds an unescaped ',' and ':', its tail arrives as such a "name".
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder("{ Mechanism = ").Append(Mechanism ?? "(negotiated)")
            .Append(", Source = ").Append(EffectiveSource)
            .Append(", Username = ").Append(Username ?? "null")
            .Append(", Password = ").Append(HasPassword ? "<redacted>" : "null")
            .Append(", MechanismProperties = [");
        var descriptor = BuiltInMechanisms.Find(Mechanism);
        var known = MechanismProperties.Keys.Where(k => descriptor?.FindProperty(k) is not null).Order(StringComparer.OrdinalIgnoreCase).ToList();
        text.AppendJoin(", ", known);
        if (MechanismProperties.Count > known.Count)
        {
            text.Append(known.Count == 0 ? "" : ", ").Append(MechanismProperties.Count - known.Count).Append(" unknown");
        }
        return text.Append("] }").ToString();
    }

    /// <summary>The canonical spelling of a built-in mechanism name given in any case; other names unchanged.</summary>
    internal static string CanonicalMechanism(string name) => BuiltInMechanisms.Find(name)?.Name ?? name;

    /// <summary>Whether the database of the connection string (or a TXT record's authSource) may be the source:
    /// true unless the mechanism authenticates against <c>$external</c> only.</summary>
    internal static bool UsesDatabaseAsSource(string? mechanism) => BuiltInMechanisms.Find(mechanism)?.SourceRule.AcceptsOtherDatabases ?? true;

    /// <summary>The GSSAPI SERVICE_NAME property name (the target of the deprecated <c>gssapiServiceName</c> option).</summary>
    internal const string ServiceNameProperty = Authentication.Gssapi.GssapiDescriptor.ServiceName;
}
