using System.Globalization;
using System.Text;

namespace MongoAuth.Ldap;

/// <summary>The scope of an LDAP search (RFC 4516 <c>scope</c>).</summary>
public enum LdapScope
{
    /// <summary><c>base</c>: the base entry only (the default).</summary>
    Base,
    /// <summary><c>one</c>: the entries directly below the base.</summary>
    OneLevel,
    /// <summary><c>sub</c>: the base and everything below it.</summary>
    Subtree,
}

/// <summary>
/// An RFC 4516 LDAP URL, <c>[ldap[s]://host[:port]/]dn[?attributes[?scope[?filter[?extensions]]]]</c>, with its
/// components percent-decoded. MongoDB's query templates use the relative form without scheme and host
/// (the servers come from configuration). Extensions are kept but, as in MongoDB, never acted on.
/// </summary>
public sealed class LdapUrl
{
    /// <summary>The filter used when the URL gives none.</summary>
    public const string DefaultFilter = "(objectClass=*)";

    /// <summary>Builds a URL from decoded components, validating the DN and the filter.</summary>
    /// <exception cref="LdapConfigurationException">The DN or the filter is malformed.</exception>
    public LdapUrl(string baseDn, IReadOnlyList<string> attributes, LdapScope scope, string filter,
        IReadOnlyList<string>? extensions = null, string? hostPort = null, bool secure = false)
    {
        ArgumentNullException.ThrowIfNull(baseDn);
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(filter);
        if (!DistinguishedName.TryParse(baseDn, out var dn))
        {
            throw new LdapConfigurationException($"The base DN '{baseDn}' of the LDAP URL is not a valid distinguished name (RFC 4514).");
        }
        LdapFilter.Validate(filter);
        BaseDn = dn;
        Attributes = attributes;
        Scope = scope;
        Filter = filter;
        Extensions = extensions ?? [];
        HostPort = hostPort;
        IsSecure = secure;
    }

    /// <summary>The base DN of the search.</summary>
    public DistinguishedName BaseDn { get; }

    /// <summary>The attributes to return; empty when the URL names none.</summary>
    public IReadOnlyList<string> Attributes { get; }

    /// <summary>The search scope (base when the URL gives none).</summary>
    public LdapScope Scope { get; }

    /// <summary>The RFC 4515 filter (<see cref="DefaultFilter"/> when the URL gives none).</summary>
    public string Filter { get; }

    /// <summary>The extensions as written; MongoDB ignores them and so does this library.</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>The <c>host[:port]</c> of an absolute URL; null for the relative form.</summary>
    public string? HostPort { get; }

    /// <summary>Whether an absolute URL used the <c>ldaps</c> scheme.</summary>
    public bool IsSecure { get; }

    /// <summary>Parses an absolute (<c>ldap://…</c>) or relative (<c>dn?attrs?scope?filter</c>) LDAP URL.</summary>
    /// <exception cref="LdapConfigurationException">The URL is malformed; the message says which part.</exception>
    public static LdapUrl Parse(string url)
    {
        var parts = LdapUrlParts.Split(url);
        return new LdapUrl(parts.Dn, parts.Attributes, parts.Scope, parts.Filter ?? DefaultFilter, parts.Extensions,
            parts.HostPort, parts.Secure);
    }

    /// <summary>The URL in RFC 4516 form, percent-encoding what must be.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (HostPort is not null)
        {
            sb.Append(IsSecure ? "ldaps://" : "ldap://").Append(HostPort).Append('/');
        }
        sb.Append(LdapUrlParts.Encode(BaseDn.ToString()))
            .Append('?').Append(LdapUrlParts.Encode(string.Join(",", Attributes)))
            .Append('?').Append(Scope switch { LdapScope.OneLevel => "one", LdapScope.Subtree => "sub", _ => "base" })
            .Append('?').Append(LdapUrlParts.Encode(Filter));
        if (Extensions.Count > 0)
        {
            sb.Append('?').Append(LdapUrlParts.Encode(string.Join(",", Extensions)));
        }
        return sb.ToString();
    }
}

/// <summary>The decoded components of an LDAP URL, before the DN is validated (templates still hold placeholders).</summary>
internal sealed record LdapUrlParts(string Dn, IReadOnlyList<string> Attributes, LdapScope Scope, string? Filter,
    IReadOnlyList<string> Extensions, string? HostPort, bool Secure)
{
    public static LdapUrlParts Split(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        string? hostPort = null;
        var secure = false;
        var rest = url;
        foreach (var scheme in new[] { "ldap://", "ldaps://" })
        {
            if (url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                var afterScheme = url[scheme.Length..];
                var slash = afterScheme.IndexOf('/', StringComparison.Ordinal);
                hostPort = slash < 0 ? afterScheme : afterScheme[..slash];
                rest = slash < 0 ? "" : afterScheme[(slash + 1)..];
                secure = scheme == "ldaps://";
            }
        }
        if (hostPort is null && url.Contains("://", StringComparison.Ordinal))
        {
            throw new LdapConfigurationException("Malformed LDAP URL: only the ldap:// and ldaps:// schemes (or a relative 'dn?attributes?scope?filter' query) are allowed.");
        }
        var parts = rest.Split('?');
        if (parts.Length > 5)
        {
            throw new LdapConfigurationException("Malformed LDAP URL: more than four '?' separators; a '?' inside a component must be written %3F.");
        }
        string Part(int i, string name) => i < parts.Length ? Decode(parts[i], name) : "";
        var attributes = Part(1, "attributes");
        var scopeText = Part(2, "scope");
        var filter = Part(3, "filter");
        var extensions = Part(4, "extensions");
        var scope = scopeText.ToLowerInvariant() switch
        {
            "" or "base" => LdapScope.Base,
            "one" => LdapScope.OneLevel,
            "sub" => LdapScope.Subtree,
            _ => throw new LdapConfigurationException($"Malformed LDAP URL: the scope '{scopeText}' is not base, one or sub."),
        };
        return new LdapUrlParts(
            Part(0, "dn"),
            SplitList(attributes),
            scope,
            filter.Length == 0 ? null : filter,
            SplitList(extensions),
            hostPort,
            secure);
    }

    private static string[] SplitList(string text) =>
        text.Length == 0 ? [] : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string Decode(string component, string name)
    {
        if (!component.Contains('%', StringComparison.Ordinal))
        {
            return component;
        }
        var bytes = new List<byte>();
        var i = 0;
        while (i < component.Length)
        {
            var next = component.IndexOf('%', i);
            if (next != i)
            {
                var run = next < 0 ? component[i..] : component[i..next];
                bytes.AddRange(Encoding.UTF8.GetBytes(run));
                i += run.Length;
                continue;
            }
            if (i + 2 >= component.Length || !char.IsAsciiHexDigit(component[i + 1]) || !char.IsAsciiHexDigit(component[i + 2]))
            {
                throw new LdapConfigurationException($"Malformed LDAP URL: a '%' in the {name} is not followed by two hex digits.");
            }
            bytes.Add(byte.Parse(component.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            i += 3;
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Percent-encodes what may not appear raw in a URL component.</summary>
    public static string Encode(string component)
    {
        var sb = new StringBuilder(component.Length);
        foreach (var b in Encoding.UTF8.GetBytes(component))
        {
            if (b is (byte)'%' or (byte)'?' or (byte)' ' or < 0x21 or > 0x7E)
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append((char)b);
            }
        }
        return sb.ToString();
    }
}
