using System.Text.RegularExpressions;

namespace MongoAuth.Ldap;

/// <summary>
/// An LDAP URL with placeholders (<c>{USER}</c>, <c>{0}</c>, <c>{1}</c> …), parsed once. Placeholders are filled
/// per component after decoding, so a value can never add a '?' component: in the filter a value is RFC 4515
/// escaped, in the DN it is inserted as a DN (<c>{USER}</c>) or RFC 4514 escaped as one value (<c>{0}</c> …).
/// </summary>
internal sealed partial class LdapUrlTemplate
{
    private readonly LdapUrlParts _parts;

    public LdapUrlTemplate(string template, string settingName)
    {
        ArgumentNullException.ThrowIfNull(template);
        Template = template;
        try
        {
            _parts = LdapUrlParts.Split(template);
            if (_parts.Filter is not null)
            {
                LdapFilter.Validate(Placeholder().Replace(_parts.Filter, "x"));
            }
        }
        catch (LdapConfigurationException e)
        {
            throw new LdapConfigurationException($"{settingName} '{template}' is not a valid LDAP URL template: {e.Message}", e);
        }
        Placeholders = Placeholder().Matches(template).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
    }

    public string Template { get; }

    /// <summary>The placeholder names that occur (USER, 0, 1, …).</summary>
    public IReadOnlySet<string> Placeholders { get; }

    /// <summary>Fills the placeholders and validates the result.</summary>
    public LdapUrl Expand(IReadOnlyDictionary<string, string> values)
    {
        string Fill(string component, Func<string, string, string> escape) =>
            Placeholder().Replace(component, m => values.TryGetValue(m.Groups[1].Value, out var v) ? escape(m.Groups[1].Value, v) : m.Value);
        var dn = Fill(_parts.Dn, (name, v) => name == "USER" ? v : DistinguishedName.EscapeValue(v));
        var filter = _parts.Filter is null ? LdapUrl.DefaultFilter : Fill(_parts.Filter, (_, v) => LdapFilter.EscapeValue(v));
        return new LdapUrl(dn, _parts.Attributes, _parts.Scope, filter, _parts.Extensions, _parts.HostPort, _parts.Secure);
    }

    [GeneratedRegex(@"\{(USER|[0-9]+)\}")]
    private static partial Regex Placeholder();
}

/// <summary>
/// MongoDB's <c>security.ldap.authz.queryTemplate</c>: an RFC 4516 LDAP URL (usually relative, such as
/// <c>{USER}?memberOf?base</c> or <c>ou=groups,dc=example,dc=com??sub?(member={USER})</c>) in which <c>{USER}</c>
/// stands for the authenticated user after userToDNMapping.
/// </summary>
public sealed class LdapQueryTemplate
{
    private readonly LdapUrlTemplate _template;

    private LdapQueryTemplate(LdapUrlTemplate template) => _template = template;

    /// <summary>The template as written.</summary>
    public string Template => _template.Template;

    /// <summary>Parses and checks a query template.</summary>
    /// <exception cref="LdapConfigurationException">The template is malformed or does not contain <c>{USER}</c>.</exception>
    public static LdapQueryTemplate Parse(string template)
    {
        var parsed = new LdapUrlTemplate(template, "The query template");
        if (!parsed.Placeholders.Contains("USER"))
        {
            throw new LdapConfigurationException($"The query template '{template}' does not contain {{USER}}, so every user would get the same groups. Put {{USER}} where the user's DN belongs, e.g. '{{USER}}?memberOf?base'.");
        }
        return new LdapQueryTemplate(parsed);
    }

    /// <summary>The query for one user (the user's DN after userToDNMapping).</summary>
    /// <exception cref="LdapConfigurationException">The expanded URL is not valid (for example, the DN is malformed).</exception>
    public LdapUrl Expand(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return _template.Expand(new Dictionary<string, string>(StringComparer.Ordinal) { ["USER"] = user });
    }

    /// <inheritdoc />
    public override string ToString() => Template;
}
