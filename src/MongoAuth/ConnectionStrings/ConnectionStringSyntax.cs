using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MongoAuth.ConnectionStrings;

/// <summary>One <c>key=value</c> pair as written (key and value percent-decoded, raw text kept for printing).</summary>
internal sealed record RawOption(string Key, string Value, string RawText)
{
    /// <summary>The secret option this pair may be part of (an unknown key after it, or one starting with its name):
    /// such a pair is never quoted or printed; messages name this option instead. Null for every other pair.</summary>
    public string? ConcealedFor { get; init; }
}

/// <summary>The syntactic parts of a connection string, before option values are typed.</summary>
internal sealed record ConnectionStringParts(
    bool IsSrv,
    string? Username,
    string? Password,
    bool HasUserInfo,
    string RawHosts,
    IReadOnlyList<MongoServerAddress> Hosts,
    string? RawDatabase,
    string? Database,
    IReadOnlyList<RawOption> Options);

/// <summary>
/// Hand-written splitter for <c>mongodb://</c> and <c>mongodb+srv://</c> (not RFC 3986, so not System.Uri), in the
/// order of the connection-string specification: scheme, first '/', last '@', userinfo, hosts, database, options.
/// </summary>
internal static class ConnectionStringSyntax
{
    public const string Scheme = "mongodb://";
    public const string SrvScheme = "mongodb+srv://";

    private static readonly char[] ForbiddenDatabaseChars = ['/', '\\', ' ', '"', '$'];

    public static ConnectionStringParts Split(string uri)
    {
        bool isSrv;
        string rest;
        if (uri.StartsWith(SrvScheme, StringComparison.Ordinal))
        {
            (isSrv, rest) = (true, uri[SrvScheme.Length..]);
        }
        else if (uri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            (isSrv, rest) = (false, uri[Scheme.Length..]);
        }
        else
        {
            throw Error("scheme", "A connection string must start with mongodb:// or mongodb+srv://.");
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var authorityEnd = slash >= 0 && (question < 0 || slash < question) ? slash : question;
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var afterAuthority = authorityEnd < 0 ? "" : rest[authorityEnd..];
        var firstAt = afterAuthority.IndexOf('@', StringComparison.Ordinal);
        var firstEquals = afterAuthority.IndexOf('=', StringComparison.Ordinal);
        if (!authority.Contains('@', StringComparison.Ordinal) && firstAt >= 0 && (firstEquals < 0 || firstAt < firstEquals))
        {
            throw Error("userinfo", "The user name or password contains an unescaped '/' or '?'; percent-encode it.");
        }

        var at = authority.LastIndexOf('@');
        string? username = null, password = null;
        if (at >= 0)
        {
            (username, password) = SplitUserInfo(authority[..at]);
        }

        var rawHosts = authority[(at + 1)..];
        var hosts = ParseHosts(rawHosts, isSrv, at >= 0);

        string? rawDatabase = null, database = null;
        var query = "";
        if (afterAuthority.StartsWith('/'))
        {
            var q = afterAuthority.IndexOf('?', StringComparison.Ordinal);
            rawDatabase = q < 0 ? afterAuthority[1..] : afterAuthority[1..q];
            query = q < 0 ? "" : afterAuthority[(q + 1)..];
            database = ParseDatabase(rawDatabase);
        }
        else if (afterAuthority.StartsWith('?'))
        {
            query = afterAuthority[1..];
        }

        return new ConnectionStringParts(isSrv, username, password, at >= 0, rawHosts, hosts, rawDatabase, database, SplitOptions(query));
    }

    private static (string User, string? Password) SplitUserInfo(string userInfo)
    {
        for (var i = 0; i < userInfo.Length; i++)
        {
            var c = userInfo[i];
            if (c is '@' or '/' or '?' or '#' or '[' or ']')
            {
                throw Error("userinfo", $"The user name or password has an unescaped '{c}' at offset {i}; percent-encode it.");
            }
        }

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var rawUser = colon < 0 ? userInfo : userInfo[..colon];
        string? rawPassword = colon < 0 ? null : userInfo[(colon + 1)..];
        if (rawPassword is not null && rawPassword.Contains(':', StringComparison.Ordinal))
        {
            throw Error("password", "The password has an unescaped ':'; percent-encode it as %3A.");
        }

        var user = PercentEncoding.Decode(rawUser, "user name");
        if (user.Length == 0)
        {
            throw Error("user name", "The user name is empty; remove the '@' or give a user name.");
        }

        return (user, rawPassword is null ? null : PercentEncoding.Decode(rawPassword, "password"));
    }

    /// <summary>
    /// Splits and types the hosts. Without an '@', a host entry with a ':' may really be <c>user:password</c> whose
    /// '@' was forgotten, so then no message quotes any host: it says which entry (by position) and what is wrong.
    /// </summary>
    private static List<MongoServerAddress> ParseHosts(string rawHosts, bool isSrv, bool hasUserInfo)
    {
        if (rawHosts.Length == 0)
        {
            throw Error("hosts", "A connection string needs at least one host.");
        }

        var parts = rawHosts.Split(',');
        if (isSrv && parts.Length > 1)
        {
            throw Error("hosts", "A mongodb+srv connection string takes exactly one host name.");
        }

        var conceal = !hasUserInfo && rawHosts.Contains(':', StringComparison.Ordinal);
        var hosts = new List<MongoServerAddress>(parts.Length);
        for (var i = 0; i < parts.Length; i++)
        {
            var host = ParseHost(parts[i], conceal ? new HostLabel(null, i + 1) : new HostLabel(parts[i], i + 1));
            if (isSrv && (parts[i].Contains(':', StringComparison.Ordinal) || host.Kind != MongoHostKind.HostName))
            {
                throw Error("hosts", "A mongodb+srv connection string takes a host name without a port." + (conceal ? ConcealedHostHint : ""));
            }

            hosts.Add(host);
        }

        return hosts;
    }

    private const string ConcealedHostHint =
        " The host is not shown: the string has no '@', so it may be user:password; if it is, write user:password@host.";

    /// <summary>How an error names a host entry: quoted when it cannot hold a password, by position otherwise.</summary>
    private readonly record struct HostLabel(string? Text, int Position)
    {
        public string Subject => Text is null ? $"Host {Position} of the list" : $"The host '{Text}'";

        public string Hint => Text is null ? ConcealedHostHint : "";
    }

    private static MongoServerAddress ParseHost(string text, HostLabel label)
    {
        if (text.Length == 0)
        {
            throw Error("hosts", "The host list has an empty entry.");
        }

        if (text[0] == '[')
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            var literal = close < 0 ? "" : text[1..close];
            if (close < 0 || !IPAddress.TryParse(literal, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                throw Error("hosts", $"{label.Subject} is not a valid [IPv6] literal.{label.Hint}");
            }

            var after = text[(close + 1)..];
            if (after.Length > 0 && after[0] != ':')
            {
                throw Error("hosts", $"{label.Subject} has text after the ']' that is not a port.{label.Hint}");
            }

            return new MongoServerAddress(literal, after.Length == 0 ? MongoServerAddress.DefaultPort : ParsePort(after[1..], label), MongoHostKind.IPv6);
        }

        if (text.Contains('/', StringComparison.Ordinal))
        {
            throw Error("hosts", $"{label.Subject} has an unescaped '/'; percent-encode a Unix socket path (%2Ftmp%2Fmongodb.sock).{label.Hint}");
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && text.IndexOf(':', colon + 1) >= 0)
        {
            throw Error("hosts", $"{label.Subject} has more than one ':'; write an IPv6 address as [addr].{label.Hint}");
        }

        var name = PercentEncoding.Decode(colon < 0 ? text : text[..colon], "host", "hosts");
        if (name.EndsWith(".sock", StringComparison.OrdinalIgnoreCase) && name.Contains('/', StringComparison.Ordinal))
        {
            if (colon >= 0)
            {
                throw Error("hosts", "A Unix socket path takes no port.");
            }

            return new MongoServerAddress(name, MongoServerAddress.DefaultPort, MongoHostKind.UnixSocket);
        }

        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || c is '/' or '\\' or '?' or '#' or '@' or '[' or ']' or '%'))
        {
            throw Error("hosts", $"{label.Subject} is not a valid host name.{label.Hint}");
        }

        var port = colon < 0 ? MongoServerAddress.DefaultPort : ParsePort(text[(colon + 1)..], label);
        return new MongoServerAddress(name, port, IsIPv4(name) ? MongoHostKind.IPv4 : MongoHostKind.HostName);
    }

    private static int ParsePort(string text, HostLabel label)
    {
        if (text.Length is 0 or > 5 || !text.All(char.IsAsciiDigit)
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw Error("port", label.Text is null
                ? $"Host {label.Position} of the list has a ':' followed by something that is not a port number from 1 to 65535.{label.Hint}"
                : $"The port of '{label.Text}' must be a number from 1 to 65535.");
        }

        return port;
    }

    /// <summary>Strict dotted quad: four decimal parts of 0–255 (so 256.0.0.1 is a host name).</summary>
    private static bool IsIPv4(string name)
    {
        var parts = name.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    private static string? ParseDatabase(string raw)
    {
        if (raw.Length == 0)
        {
            return null;
        }

        var name = PercentEncoding.Decode(raw, "database name");
        var bad = name.IndexOfAny(ForbiddenDatabaseChars);
        if (bad >= 0)
        {
            throw Error("database name", $"The database name must not contain '{name[bad]}' (none of / \\ space \" $).");
        }

        return name;
    }

    /// <summary>
    /// Splits the query at every '&amp;'. An unescaped '&amp;' inside a secret value (a password with '&amp;' in it) leaves
    /// the rest of the secret as a fragment of its own, so a fragment that follows a secret option, or whose name
    /// starts with a secret option's name (its '=' lost), is never quoted: it is marked with the secret option it may
    /// belong to, and errors and warnings name that option instead.
    /// </summary>
    private static List<RawOption> SplitOptions(string query)
    {
        var options = new List<RawOption>();
        string? lastSecret = null;
        foreach (var pair in query.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var rawKey = eq < 0 ? pair : pair[..eq];
            var concealedFor = ConnectionStringOptions.Find(rawKey) is null ? lastSecret ?? SecretPrefixOf(rawKey) : null;
            if (eq <= 0)
            {
                throw concealedFor is not null
                    ? Error(concealedFor, $"An option after {concealedFor} has no '=' (it is not shown: it may be part of the {concealedFor} value); " +
                        $"if that value contains '&', percent-encode it as %26.")
                    : eq < 0 && ConnectionStringOptions.Find(pair) is null && MaySecretName(pair)
                    ? Error("option name", "An option has no '=' (it is not shown: its name suggests it may hold a secret); write key=value pairs separated by '&'.")
                    : Error(eq < 0 ? pair : "(empty)", $"The option '{(eq < 0 ? pair : "(empty)")}' has no '=value'; write key=value pairs separated by '&'.");
            }

            var key = PercentEncoding.Decode(rawKey, "option name", concealedFor ?? "option name");
            var option = ConnectionStringOptions.Find(key);
            concealedFor = option is null ? lastSecret ?? SecretPrefixOf(key) : null;
            var label = option?.Name ?? concealedFor ?? key;
            var value = PercentEncoding.Decode(pair[(eq + 1)..], concealedFor is null ? $"value of {label}" : $"text after {label}", label);
            options.Add(new RawOption(key, value, pair) { ConcealedFor = concealedFor });
            if (option?.Secret == true)
            {
                lastSecret = option.Name;
            }
            else if (option is null && (concealedFor ?? (MaySecretName(key) ? key : null)) is { } owner)
            {
                lastSecret = owner; // a misspelt secret option: its value may be cut at a '&' too
            }
        }

        return options;
    }

    private static readonly string[] SecretWords = ["pass", "pwd", "secret", "token", "key", "cred", "auth"];

    /// <summary>Whether an unknown option name looks like one that holds a secret (<c>proxyPasswd</c>, <c>apiToken</c>).</summary>
    private static bool MaySecretName(string key) => SecretWords.Any(word => key.Contains(word, StringComparison.OrdinalIgnoreCase));

    /// <summary>The secret option whose name <paramref name="key"/> starts with (<c>proxyPasswordab</c>: the '=' was lost), or null.</summary>
    private static string? SecretPrefixOf(string key) =>
        ConnectionStringOptions.Secrets.FirstOrDefault(name => key.StartsWith(name, StringComparison.OrdinalIgnoreCase));

    internal static MongoConfigurationException Error(string option, string message) => new(message) { OptionName = option };
}
