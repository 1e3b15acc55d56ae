using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MongoAuth.ConnectionStrings;

/// <summary>One <c>key=value</c> pair as written (key and value percent-decoded, raw text kept for printing).</summary>
internal sealed record RawOption(string Key, string Value, string RawText);

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
        var hosts = ParseHosts(rawHosts, isSrv);

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

    private static List<MongoServerAddress> ParseHosts(string rawHosts, bool isSrv)
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

        var hosts = new List<MongoServerAddress>(parts.Length);
        foreach (var part in parts)
        {
            var host = ParseHost(part);
            if (isSrv && (part.Contains(':', StringComparison.Ordinal) || host.Kind != MongoHostKind.HostName))
            {
                throw Error("hosts", "A mongodb+srv connection string takes a host name without a port.");
            }

            hosts.Add(host);
        }

        return hosts;
    }

    private static MongoServerAddress ParseHost(string text)
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
                throw Error("hosts", $"'{text}' is not a valid [IPv6] literal.");
            }

            var after = text[(close + 1)..];
            if (after.Length > 0 && after[0] != ':')
            {
                throw Error("hosts", $"'{text}' has text after the ']' that is not a port.");
            }

            return new MongoServerAddress(literal, after.Length == 0 ? MongoServerAddress.DefaultPort : ParsePort(after[1..], text), MongoHostKind.IPv6);
        }

        if (text.Contains('/', StringComparison.Ordinal))
        {
            throw Error("hosts", $"The host '{text}' has an unescaped '/'; percent-encode a Unix socket path (%2Ftmp%2Fmongodb.sock).");
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && text.IndexOf(':', colon + 1) >= 0)
        {
            throw Error("hosts", $"The host '{text}' has more than one ':'; write an IPv6 address as [addr].");
        }

        var name = PercentEncoding.Decode(colon < 0 ? text : text[..colon], "host");
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
            throw Error("hosts", $"'{text}' is not a valid host name.");
        }

        var port = colon < 0 ? MongoServerAddress.DefaultPort : ParsePort(text[(colon + 1)..], text);
        return new MongoServerAddress(name, port, IsIPv4(name) ? MongoHostKind.IPv4 : MongoHostKind.HostName);
    }

    private static int ParsePort(string text, string host)
    {
        if (text.Length is 0 or > 5 || !text.All(char.IsAsciiDigit)
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw Error("port", $"The port of '{host}' must be a number from 1 to 65535.");
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

    private static List<RawOption> SplitOptions(string query)
    {
        var options = new List<RawOption>();
        foreach (var pair in query.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                var name = eq < 0 ? pair : "(empty)";
                throw Error(name, $"The option '{name}' has no '=value'; write key=value pairs separated by '&'.");
            }

            var key = PercentEncoding.Decode(pair[..eq], "option name");
            var value = PercentEncoding.Decode(pair[(eq + 1)..], $"value of {key}", ConnectionStringOptions.Find(key)?.Name ?? key);
            options.Add(new RawOption(key, value, pair));
        }

        return options;
    }

    internal static MongoConfigurationException Error(string option, string message) => new(message) { OptionName = option };
}
