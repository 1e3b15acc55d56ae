using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MongoAuth.ConnectionStrings;

/// <summary>
/// A parsed <c>mongodb://</c> or <c>mongodb+srv://</c> connection string. Parsing is hand-written (the format is
/// not RFC 3986), does no I/O, and produces validated <see cref="Settings"/>. Problems that do not stop parsing
/// (unknown, empty, invalid, repeated or deprecated options) are logged and kept in <see cref="Warnings"/>;
/// everything else is a <see cref="MongoConfigurationException"/> naming the option or position and the rule.
/// <see cref="ToString"/> redacts the password and secret options.
/// </summary>
public sealed class ConnectionString
{
    private const string Redacted = "<redacted>";

    private readonly ConnectionStringParts _parts;

    private ConnectionString(ConnectionStringParts parts, MongoClientSettings settings, IReadOnlyList<ConnectionStringWarning> warnings, IReadOnlySet<string> optionNames)
    {
        _parts = parts;
        Settings = settings;
        Warnings = warnings;
        OptionNames = optionNames;
    }

    /// <summary>Whether the string uses <c>mongodb+srv://</c> (the single host is then the SRV name).</summary>
    public bool IsSrv => _parts.IsSrv;

    /// <summary>The hosts as written (for <c>mongodb+srv</c>, the one SRV host name).</summary>
    public IReadOnlyList<MongoServerAddress> Hosts => _parts.Hosts;

    /// <summary>The percent-decoded user name; null when the string has no userinfo.</summary>
    public string? Username => _parts.Username;

    /// <summary>Whether the string gives a password (<c>user:@host</c> gives an empty one).</summary>
    public bool HasPassword => _parts.Password is not null;

    /// <summary>The percent-decoded database from the path; null when none.</summary>
    public string? DatabaseName => _parts.Database;

    /// <summary>The credential the string configures; null when it configures none.</summary>
    public MongoCredential? Credential => Settings.Credential;

    /// <summary>The canonical names of the known options that appear in the string.</summary>
    public IReadOnlySet<string> OptionNames { get; }

    /// <summary>The validated settings the string describes (no logger or DNS resolver; SRV not yet resolved).</summary>
    public MongoClientSettings Settings { get; }

    /// <summary>What the parser ignored or accepted with a deprecation, in order.</summary>
    public IReadOnlyList<ConnectionStringWarning> Warnings { get; }

    internal string? Password => _parts.Password;

    /// <summary>Parses and validates <paramref name="uri"/>; each warning is also logged to <paramref name="logger"/>.</summary>
    /// <exception cref="MongoConfigurationException">The string is malformed or breaks a rule.</exception>
    public static ConnectionString Parse(string uri, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var parts = ConnectionStringSyntax.Split(uri);
        var reader = new ConnectionStringOptionReader();
        reader.Read(parts.Options);
        if (logger is not null)
        {
            foreach (var warning in reader.Warnings)
            {
                Diagnostics.Log.ConnectionStringWarning(logger, warning.Message);
            }
        }

        var values = reader.Values.ToDictionary(p => p.Key.Name, p => p.Value, StringComparer.OrdinalIgnoreCase);
        var settings = new MongoClientSettings
        {
            Servers = parts.IsSrv ? [] : parts.Hosts,
            UsesSrv = parts.IsSrv,
            SrvHost = parts.IsSrv ? parts.Hosts[0].Host : null,
            UseTls = parts.IsSrv,
            DefaultDatabase = parts.Database,
            Credential = ConnectionStringCredential.Build(parts, values),
            UriOptions = reader.Present,
            ConnectionStringWarnings = reader.Warnings,
        };

        // One Apply per option (a repeated option such as readPreferenceTags arrives as one list), so building the
        // settings costs the same whatever the number of pairs.
        foreach (var (option, value) in reader.Values.Where(p => p.Key.Apply is not null))
        {
            settings = option.Apply!(settings, value);
        }

        // What code can still add (a password for a user without one, an OIDC callback) is required when the client is
        // built, not here: the connection-string rules call mongodb://alice@host valid.
        return new ConnectionString(parts, settings.Validate(completeCredential: false), reader.Warnings, reader.Present);
    }

    /// <summary>Parses <paramref name="uri"/> without throwing for a malformed string.</summary>
    /// <returns>True with <paramref name="result"/> set, or false with <paramref name="error"/> set.</returns>
    public static bool TryParse(string uri, [NotNullWhen(true)] out ConnectionString? result, [NotNullWhen(false)] out MongoConfigurationException? error)
    {
        try
        {
            result = Parse(uri);
            error = null;
            return true;
        }
        catch (MongoConfigurationException e)
        {
            result = null;
            error = e;
            return false;
        }
    }

    /// <summary>
    /// The string as given, with the password, the values of secret options (<c>proxyPassword</c>,
    /// <c>tlsCertificateKeyFilePassword</c>, the whole of <c>authMechanismProperties</c>) and of unknown options
    /// (perhaps a misspelt secret option) replaced by <c>&lt;redacted&gt;</c>; a pair that may be the rest of a
    /// secret value cut at an unescaped '&amp;' is printed as <c>&lt;redacted&gt;=&lt;redacted&gt;</c>.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder(IsSrv ? ConnectionStringSyntax.SrvScheme : ConnectionStringSyntax.Scheme);
        if (_parts.HasUserInfo)
        {
            text.Append(Uri.EscapeDataString(_parts.Username!)).Append(HasPassword ? ":" + Redacted : "").Append('@');
        }

        text.Append(_parts.RawHosts);
        if (_parts.RawDatabase is not null)
        {
            text.Append('/').Append(_parts.RawDatabase);
        }

        if (_parts.Options.Count > 0)
        {
            text.Append('?').AppendJoin('&', _parts.Options.Select(Print));
        }

        return text.ToString();
    }

    private static string Print(RawOption option) =>
        option.ConcealedFor is not null ? Redacted + "=" + Redacted
        : ConnectionStringOptions.Find(option.Key) is { Secret: false } ? option.RawText
        : option.RawText[..(option.RawText.IndexOf('=', StringComparison.Ordinal) + 1)] + Redacted;
}
