using System.Collections.Immutable;

namespace MongoAuth;

/// <summary>
/// The one credential of a client: mechanism, user, source database, password and mechanism properties.
/// Immutable. Built from a connection string or with the factory methods; validated per mechanism when the
/// client is built (<c>MongoClientSettings.Validate</c>). <c>ToString()</c> never shows the password
/// or secret properties.
/// </summary>
public sealed partial class MongoCredential : IEquatable<MongoCredential>
{
    internal MongoCredential(
        string? mechanism,
        string? source,
        string? username,
        string? password,
        ImmutableDictionary<string, object>? mechanismProperties)
    {
        Mechanism = mechanism;
        Source = source;
        Username = username;
        Password = password;
        MechanismProperties = mechanismProperties
            ?? ImmutableDictionary.Create<string, object>(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The mechanism name (SCRAM-SHA-1, SCRAM-SHA-256, PLAIN, GSSAPI, MONGODB-X509, MONGODB-AWS, MONGODB-OIDC, or one
    /// registered by the application); null means negotiate (SCRAM-SHA-256 if the server supports it, else SCRAM-SHA-1).
    /// </summary>
    public string? Mechanism { get; }

    /// <summary>
    /// The database the user is defined in, as given; null when not given. See <c>EffectiveSource</c>
    /// for the source actually used.
    /// </summary>
    public string? Source { get; }

    /// <summary>The user name, exactly as given (no SASLprep); null when none was given.</summary>
    public string? Username { get; }

    /// <summary>The password, or null. Never printed; kept out of <c>ToString()</c> and exception messages.</summary>
    internal string? Password { get; }

    /// <summary>Whether a password was given (an empty string counts as given).</summary>
    public bool HasPassword => Password is not null;

    /// <summary>Mechanism properties; names compare case-insensitively. Values are strings from a connection
    /// string, or objects (callbacks, providers) given from code.</summary>
    public ImmutableDictionary<string, object> MechanismProperties { get; }

    /// <inheritdoc />
    public bool Equals(MongoCredential? other) =>
        other is not null
        && string.Equals(Mechanism, other.Mechanism, StringComparison.Ordinal)
        && string.Equals(Source, other.Source, StringComparison.Ordinal)
        && string.Equals(Username, other.Username, StringComparison.Ordinal)
        && string.Equals(Password, other.Password, StringComparison.Ordinal)
        && MechanismProperties.Count == other.MechanismProperties.Count
        && MechanismProperties.All(p => other.MechanismProperties.TryGetValue(p.Key, out var v) && Equals(v, p.Value));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MongoCredential);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Mechanism, Source, Username);
}
