namespace MongoAuth.Authentication;

/// <summary>
/// One mechanism property a mechanism accepts (<c>authMechanismProperties</c> in a connection string, or
/// <see cref="MongoCredential.WithMechanismProperty"/> from code). Names compare case-insensitively.
/// </summary>
public sealed record MechanismProperty
{
    /// <summary>Declares a property.</summary>
    /// <param name="name">The canonical name, e.g. <c>SERVICE_NAME</c>.</param>
    /// <param name="description">What it does, for documentation and error messages.</param>
    public MechanismProperty(string name, string description)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(description);
        Name = name;
        Description = description;
    }

    /// <summary>The canonical name (compare case-insensitively).</summary>
    public string Name { get; }

    /// <summary>What the property does.</summary>
    public string Description { get; }

    /// <summary>The value used when the credential does not give one; null = no default (the property is absent).
    /// Shown by <see cref="MongoCredential.EffectiveMechanismProperties"/>.</summary>
    public string? DefaultValue { get; init; }

    /// <summary>The values a text value may take (compared case-insensitively); null = any non-empty text.</summary>
    public IReadOnlyList<string>? AllowedValues { get; init; }

    /// <summary>
    /// Whether the value is an object that only code can give (a callback, a provider): text from a connection string
    /// is refused.
    /// </summary>
    public bool CodeOnly { get; init; }
}
