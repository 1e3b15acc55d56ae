using System.Collections.Immutable;

namespace MongoAuth.Authentication;

/// <summary>
/// Everything the driver knows about one authentication mechanism, in one place: its name, where it authenticates
/// (<see cref="SourceRule"/>), which parts of the credential it needs (<see cref="Username"/>,
/// <see cref="Password"/>), the mechanism properties it takes with their defaults (<see cref="Properties"/>), any
/// further rule (<see cref="CheckShape"/>, <see cref="CheckComplete"/>), the hint its failures get
/// (<see cref="HintFor"/>) and the factory of the client-wide mechanism (<see cref="Create"/>).
/// </summary>
/// <remarks>
/// The built-in mechanisms each have one in their folder under <c>Authentication/</c>. An application derives from
/// this class to register a mechanism with rules of its own (<see cref="MechanismRegistry.WithMechanism(MechanismDescriptor)"/>);
/// a mechanism registered with a bare <see cref="MechanismFactory"/> gets the generic rules (user name and password
/// optional, any property, source <c>authSource</c> else the database else <c>admin</c>).
/// Rules are checked in two phases: <see cref="ValidateShape"/> (what is wrong whatever is added later: checked when a
/// credential is built or parsed) and <see cref="Validate"/> (also what is still missing: checked when the client is
/// built). Messages name the option or field (<see cref="MongoConfigurationException.OptionName"/>) and what to
/// change, and never contain a password or a property value.
/// </remarks>
public abstract class MechanismDescriptor
{
    /// <summary>The mechanism name as the server knows it (e.g. SCRAM-SHA-256); compared case-insensitively.</summary>
    public abstract string Name { get; }

    /// <summary>Where the mechanism authenticates. Default: <see cref="AuthSourceRule.DatabaseOrAdmin"/>.</summary>
    public virtual AuthSourceRule SourceRule => AuthSourceRule.DatabaseOrAdmin;

    /// <summary>Whether the mechanism needs, accepts or refuses a user name.</summary>
    public abstract CredentialRequirement Username { get; }

    /// <summary>Whether the mechanism needs, accepts or refuses a password. A required password is checked by
    /// <see cref="Validate"/> only, so a connection string with a user name and no password parses and the client
    /// constructor says what is missing.</summary>
    public abstract CredentialRequirement Password { get; }

    /// <summary>The mechanism properties the mechanism takes (empty = none); null accepts any property unchecked.</summary>
    public virtual IReadOnlyList<MechanismProperty>? Properties => [];

    /// <summary>How messages name the mechanism; the start of a sentence (e.g. "GSSAPI").</summary>
    protected virtual string Subject => Name;

    /// <summary>The declared property called <paramref name="name"/> (case-insensitive), or null.</summary>
    public MechanismProperty? FindProperty(string name) =>
        Properties?.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The source actually used for <paramref name="credential"/>.</summary>
    public string ResolveSource(MongoCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return SourceRule.Resolve(credential.Source);
    }

    /// <summary>
    /// The credential's properties with the declared defaults added for those it does not give (names keep the
    /// credential's spelling; defaults use the canonical one).
    /// </summary>
    public ImmutableDictionary<string, object> WithDefaults(ImmutableDictionary<string, object> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var result = properties.WithComparers(StringComparer.OrdinalIgnoreCase);
        foreach (var property in Properties ?? [])
        {
            if (property.DefaultValue is { } value && !result.ContainsKey(property.Name))
            {
                result = result.Add(property.Name, value);
            }
        }

        return result;
    }

    /// <summary>
    /// Checks what is wrong whatever is added later: the source, a missing or forbidden user name, a forbidden
    /// password, unknown properties and property values, then <see cref="CheckShape"/>.
    /// </summary>
    /// <exception cref="MongoConfigurationException">A rule is broken; <see cref="MongoConfigurationException.OptionName"/>
    /// is <c>authSource</c>, <c>username</c>, <c>password</c> or <c>authMechanismProperties</c>.</exception>
    public void ValidateShape(MongoCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (!SourceRule.AcceptsOtherDatabases && credential.Source is { } source && source != SourceRule.Default)
        {
            throw Refuse("authSource",
                $"{Subject} authenticates against {SourceRule.Default} only, but authSource is '{source}'. Remove authSource or set it to {SourceRule.Default}.");
        }

        switch (Username.Kind)
        {
            case CredentialRequirementKind.Required when string.IsNullOrEmpty(credential.Username):
                throw Refuse("username",
                    $"{Subject} needs a user name ({Username.Explanation}). Put it in the connection string (mongodb://<user>@<host>/…) or pass it to the MongoCredential factory.");
            case CredentialRequirementKind.Forbidden when credential.Username is not null:
                throw Refuse("username",
                    $"{Subject} takes no user name: {Username.Explanation}. Remove the user name from the connection string or the credential.");
        }

        if (Password.Kind == CredentialRequirementKind.Forbidden && credential.HasPassword)
        {
            throw Refuse("password",
                $"{Subject} takes no password: {Password.Explanation}. Remove it from the connection string (write user@host, not user:password@host) or the credential.");
        }

        ValidateProperties(credential);
        CheckShape(credential);
    }

    /// <summary>
    /// Checks every rule: <see cref="ValidateShape"/>, then what must be present before a client starts (a required
    /// password, then <see cref="CheckComplete"/>). The client calls it when it is built.
    /// </summary>
    /// <exception cref="MongoConfigurationException">A rule is broken or something required is missing.</exception>
    public void Validate(MongoCredential credential)
    {
        ValidateShape(credential);
        if (Password.Kind == CredentialRequirementKind.Required && !credential.HasPassword)
        {
            throw Refuse("password", MissingPasswordMessage(credential));
        }

        CheckComplete(credential);
    }

    /// <summary>A further rule of the mechanism that holds whatever is added later (e.g. "not both callbacks").
    /// Throw with <see cref="Refuse"/>.</summary>
    /// <param name="credential">The credential; the generic rules have passed.</param>
    protected virtual void CheckShape(MongoCredential credential)
    {
    }

    /// <summary>A rule for credentials that come from a connection string only, checked by the parser before
    /// <see cref="ValidateShape"/> (MONGODB-AWS: no keys in a URI, though code may give them). Throw with <see cref="Refuse"/>.</summary>
    /// <param name="credential">The credential the connection string describes.</param>
    internal virtual void CheckConnectionString(MongoCredential credential)
    {
    }

    /// <summary>A further rule about what must be present before the client starts (e.g. "an ENVIRONMENT or a
    /// callback"). Throw with <see cref="Refuse"/>.</summary>
    /// <param name="credential">The credential; every shape rule has passed.</param>
    protected virtual void CheckComplete(MongoCredential credential)
    {
    }

    /// <summary>
    /// A sentence to add to an authentication failure, or null when the evidence does not point anywhere useful.
    /// The built-ins answer code 18 (AuthenticationFailed) with what to check for their mechanism.
    /// </summary>
    /// <param name="evidence">What failed and how.</param>
    public virtual string? HintFor(AuthenticationFailureEvidence evidence) => null;

    /// <summary>
    /// Creates the mechanism of one client (called once per client, after <see cref="Validate"/> passed).
    /// Throw <see cref="MongoConfigurationException"/> when the settings do not fit (e.g. X.509 without TLS).
    /// </summary>
    /// <param name="credential">The client's credential.</param>
    /// <param name="settings">The client's settings.</param>
    public abstract IAuthenticationMechanism Create(MongoCredential credential, MongoClientSettings settings);

    /// <summary>The message for a missing required password; the default names the user and the two places to give one.</summary>
    /// <param name="credential">The credential without a password.</param>
    protected virtual string MissingPasswordMessage(MongoCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return $"{Subject} needs a password ({Password.Explanation}) for user '{credential.Username}'. Add it to the connection string " +
            $"(mongodb://<user>:<password>@<host>/…, percent-encoded) or pass it to the MongoCredential factory.";
    }

    /// <summary>A configuration error about <paramref name="option"/> (the canonical option or field name).</summary>
    /// <param name="option">e.g. <c>authMechanismProperties</c>, <c>username</c>, <c>password</c>, <c>authSource</c>.</param>
    /// <param name="message">What is wrong and what to change; never a secret or a property value.</param>
    protected static MongoConfigurationException Refuse(string option, string message) => new(message) { OptionName = option };

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>
    /// An unknown property name as an error may show it: names look like SERVICE_NAME. Anything else is not quoted,
    /// since the tail of a secret value with an unescaped ',' and ':' arrives as a "name".
    /// </summary>
    private static string Quotable(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? name
            : "(a name that is not shown: it may be part of a secret value; percent-encode ',' and ':' in values)";

    private void ValidateProperties(MongoCredential credential)
    {
        if (Properties is null || credential.MechanismProperties.IsEmpty)
        {
            return;
        }

        if (Properties.Count == 0)
        {
            throw Refuse("authMechanismProperties",
                $"{Subject} takes no mechanism properties, but {string.Join(", ", credential.MechanismProperties.Keys.Order(StringComparer.OrdinalIgnoreCase).Select(Quotable))} " +
                "was given. Remove authMechanismProperties.");
        }

        foreach (var (name, value) in credential.MechanismProperties)
        {
            var property = FindProperty(name) ?? throw Refuse("authMechanismProperties",
                $"{Subject} does not take the mechanism property {Quotable(name)}; it takes {string.Join(", ", Properties.Select(p => p.Name))}. Check the name in authMechanismProperties.");
            if (property.CodeOnly)
            {
                if (value is string)
                {
                    throw Refuse("authMechanismProperties",
                        $"The {Name} property {property.Name} can be given only from code (MongoCredential.WithMechanismProperty(\"{property.Name}\", value)), not as text in a connection string.");
                }

                continue;
            }

            var text = value switch
            {
                string s => s,
                bool flag => flag ? "true" : "false",
                _ => throw Refuse("authMechanismProperties", $"The {Name} property {property.Name} must be text, not a {value.GetType().Name}."),
            };
            if (text.Length == 0)
            {
                throw Refuse("authMechanismProperties", $"The {Name} property {property.Name} must not be empty: give a value or leave it out.");
            }

            if (property.AllowedValues is { } allowed && !allowed.Contains(text, StringComparer.OrdinalIgnoreCase))
            {
                throw Refuse("authMechanismProperties", $"The {Name} property {property.Name} must be one of: {string.Join(", ", allowed)}.");
            }
        }
    }
}
