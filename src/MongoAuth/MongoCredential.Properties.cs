using System.Globalization;
using System.Text;

namespace MongoAuth;

public sealed partial class MongoCredential
{
    internal const string ScramSha1 = "SCRAM-SHA-1";
    internal const string ScramSha256 = "SCRAM-SHA-256";
    internal const string Plain = "PLAIN";
    internal const string Gssapi = "GSSAPI";
    internal const string X509 = "MONGODB-X509";
    internal const string Aws = "MONGODB-AWS";
    internal const string Oidc = "MONGODB-OIDC";
    internal const string External = "$external";
    internal const string ServiceNameProperty = "SERVICE_NAME";

    private static readonly string[] BuiltInMechanisms = [ScramSha1, ScramSha256, Plain, Gssapi, X509, Aws, Oidc];
    private static readonly string[] ExternalOnly = [Gssapi, X509, Aws, Oidc];

    /// <summary>
    /// The database authentication runs against: <c>$external</c> for GSSAPI, X.509, AWS and OIDC; the source or
    /// <c>$external</c> for PLAIN; the source or <c>admin</c> for SCRAM and negotiated credentials.
    /// </summary>
    public string EffectiveSource => Mechanism switch
    {
        Gssapi or X509 or Aws or Oidc => External,
        Plain => Source ?? External,
        _ => Source ?? "admin",
    };

    /// <summary>Reads a mechanism property (case-insensitive name) as <typeparamref name="T"/>; <c>default</c> when
    /// absent. A string is converted to bool or int when asked for one.</summary>
    /// <exception cref="MongoConfigurationException">The value is present but not a <typeparamref name="T"/>.</exception>
    public T? GetMechanismProperty<T>(string name)
    {
        if (!MechanismProperties.TryGetValue(name, out var value))
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

    /// <summary>Mechanism, source, user and property names; never the password or any property value (which may be secret).</summary>
    public override string ToString()
    {
        var text = new StringBuilder("{ Mechanism = ").Append(Mechanism ?? "(negotiated)")
            .Append(", Source = ").Append(EffectiveSource)
            .Append(", Username = ").Append(Username ?? "null")
            .Append(", Password = ").Append(HasPassword ? "<redacted>" : "null")
            .Append(", MechanismProperties = [");
        text.AppendJoin(", ", MechanismProperties.Keys.Order(StringComparer.OrdinalIgnoreCase));
        return text.Append("] }").ToString();
    }

    /// <summary>The canonical spelling of a built-in mechanism name given in any case; other names unchanged.</summary>
    internal static string CanonicalMechanism(string name) =>
        BuiltInMechanisms.FirstOrDefault(m => m.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? name;

    /// <summary>Whether the database of the connection string is the default source (SCRAM, PLAIN, negotiated, custom).</summary>
    internal static bool UsesDatabaseAsSource(string? mechanism) => !ExternalOnly.Contains(mechanism);
}
