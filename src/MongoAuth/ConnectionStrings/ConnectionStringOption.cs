namespace MongoAuth.ConnectionStrings;

/// <summary>How the text of an option is typed before it is checked.</summary>
internal enum OptionType
{
    /// <summary><c>true</c>/<c>false</c> (legacy 1/yes/y/t, 0/-1/no/n/f accepted with a deprecation warning where allowed).</summary>
    Boolean,
    /// <summary>A 32-bit integer.</summary>
    Integer,
    /// <summary>Any text.</summary>
    String,
    /// <summary>Comma-separated items.</summary>
    StringList,
    /// <summary>Comma-separated <c>key:value</c> items, each split on its first colon.</summary>
    KeyValueList,
    /// <summary>One tag set (<c>key:value</c> items, or empty for the empty tag set); repeats accumulate.</summary>
    TagSet,
}

/// <summary>
/// One connection-string option, declared once: canonical name, aliases, type, default (for the docs), whether
/// its behaviour is live yet, the rule its value must follow and where it lands on <see cref="MongoClientSettings"/>.
/// </summary>
/// <param name="Name">Canonical name as in the MongoDB URI options specification.</param>
/// <param name="Type">How the text is typed.</param>
/// <param name="DefaultText">The default, as documented.</param>
/// <param name="Active">True when the driver acts on the option; false when it is parsed and exposed only.</param>
/// <param name="Apply">Stores a typed value on the settings; null for the auth options, which build the credential.</param>
/// <param name="Rule">Returns the rule a typed value breaks, or null when the value is valid.</param>
internal sealed record ConnectionStringOption(
    string Name,
    OptionType Type,
    string DefaultText,
    bool Active,
    Func<MongoClientSettings, object, MongoClientSettings>? Apply,
    Func<object, string?>? Rule = null)
{
    /// <summary>Never printed: redacted in <c>ToString()</c> and never echoed in messages.</summary>
    public bool Secret { get; init; }

    /// <summary>Other names that mean this option (<c>ssl</c> for <c>tls</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Deprecated names: accepted with a warning, ignored when the canonical name is also given.</summary>
    public IReadOnlyList<string> DeprecatedAliases { get; init; } = [];

    /// <summary>Whether the option itself is deprecated (accepted with a warning).</summary>
    public string? DeprecationAdvice { get; init; }

    /// <summary>Whether the legacy boolean forms are accepted (with a deprecation warning).</summary>
    public bool LegacyBooleans { get; init; } = true;

    /// <summary>Whether repeating the option is an error rather than a warning.</summary>
    public bool RepeatIsError { get; init; }

    /// <summary>Whether an empty or invalid value is an error rather than a warning.</summary>
    public bool InvalidIsError { get; init; }
}
