using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MongoAuth.Ldap;

/// <summary>
/// One rule of <c>security.ldap.userToDNMapping</c>: a regular expression that must match the whole user name, and
/// either a substitution (a DN template) or an LDAP query (an LDAP URL template whose single result is the DN).
/// In both templates <c>{0}</c>, <c>{1}</c> … are the capture groups of <see cref="Match"/>, escaped for where they
/// land (RFC 4514 in a DN, RFC 4515 in a filter).
/// </summary>
public sealed partial class UserToDnRule
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);
    private readonly Regex _regex;
    private readonly LdapUrlTemplate? _query;

    /// <summary>Creates and checks a rule. Give exactly one of <paramref name="substitution"/> and <paramref name="ldapQuery"/>.</summary>
    /// <exception cref="LdapConfigurationException">The rule is invalid; the message says why.</exception>
    public UserToDnRule(string match, string? substitution = null, string? ldapQuery = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        if ((substitution is null) == (ldapQuery is null))
        {
            throw new LdapConfigurationException($"The userToDNMapping rule for '{match}' needs exactly one of 'substitution' and 'ldapQuery'.");
        }
        try
        {
            _regex = new Regex("^(?:" + match + ")$", RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException e)
        {
            throw new LdapConfigurationException($"The userToDNMapping 'match' '{match}' is not a valid regular expression: {e.Message}", e);
        }
        Match = match;
        Substitution = substitution;
        LdapQuery = ldapQuery;
        var groups = _regex.GetGroupNumbers().Length - 1;
        IEnumerable<string> used;
        if (ldapQuery is not null)
        {
            _query = new LdapUrlTemplate(ldapQuery, "The userToDNMapping 'ldapQuery'");
            used = _query.Placeholders;
        }
        else
        {
            used = PlaceholderNumbers(substitution!);
        }
        foreach (var name in used)
        {
            if (name == "USER" || int.Parse(name, CultureInfo.InvariantCulture) >= groups)
            {
                throw new LdapConfigurationException($"The userToDNMapping rule for '{match}' uses {{{name}}}, but the expression has {groups} capture group(s) ({{0}} is the first).");
            }
        }
    }

    /// <summary>The regular expression (matched against the whole user name).</summary>
    public string Match { get; }

    /// <summary>The DN template, or null for an LDAP query rule.</summary>
    public string? Substitution { get; }

    /// <summary>The LDAP URL template, or null for a substitution rule.</summary>
    public string? LdapQuery { get; }

    /// <summary>Applies the rule: null when it does not match, else the DN (substitution) or the query to run.</summary>
    internal UserToDnMatch? Apply(string user, int index)
    {
        var m = _regex.Match(user);
        if (!m.Success)
        {
            return null;
        }
        var captures = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var g = 1; g < m.Groups.Count; g++)
        {
            captures[(g - 1).ToString(CultureInfo.InvariantCulture)] = m.Groups[g].Value;
        }
        if (_query is not null)
        {
            return new UserToDnMatch(index, null, _query.Expand(captures));
        }
        var dn = PlaceholderPattern().Replace(Substitution!, p => DistinguishedName.EscapeValue(captures[p.Groups[1].Value]));
        if (!DistinguishedName.TryParse(dn, out _))
        {
            throw new LdapConfigurationException($"The userToDNMapping substitution '{Substitution}' turned the user name into '{dn}', which is not a valid distinguished name.");
        }
        return new UserToDnMatch(index, dn, null);
    }

    private static IEnumerable<string> PlaceholderNumbers(string template) =>
        PlaceholderPattern().Matches(template).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\{([0-9]+)\}")]
    private static partial Regex PlaceholderPattern();
}

/// <summary>What the first matching rule made of a user name.</summary>
/// <param name="RuleIndex">The index of the rule that matched.</param>
/// <param name="Dn">The DN from a substitution rule; null for a query rule.</param>
/// <param name="Query">The query whose single entry is the user's DN; null for a substitution rule.</param>
public sealed record UserToDnMatch(int RuleIndex, string? Dn, LdapUrl? Query);

/// <summary>
/// MongoDB's <c>security.ldap.userToDNMapping</c>: rules tried in order; the first whose expression matches the whole
/// user name transforms it. A user name no rule matches is used unchanged, as is every name when there are no rules.
/// </summary>
public sealed partial class UserToDnMapping
{
    /// <summary>Creates a mapping from rules, in order.</summary>
    public UserToDnMapping(IEnumerable<UserToDnRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = [.. rules];
    }

    /// <summary>The mapping with no rules: user names are used unchanged.</summary>
    public static UserToDnMapping None { get; } = new([]);

    /// <summary>The rules in order.</summary>
    public IReadOnlyList<UserToDnRule> Rules { get; }

    /// <summary>
    /// Parses the configuration form, a JSON array of <c>{match, substitution}</c> or <c>{match, ldapQuery}</c>
    /// documents. As in mongod's configuration, the three keys may be left unquoted.
    /// </summary>
    /// <exception cref="LdapConfigurationException">The text or a rule is invalid.</exception>
    public static UserToDnMapping Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (string.IsNullOrWhiteSpace(json))
        {
            return None;
        }
        var quoted = BareKey().Replace(json, "$1\"$2\":");
        List<Dictionary<string, string>>? documents;
        try
        {
            documents = JsonSerializer.Deserialize<List<Dictionary<string, string>>>(quoted);
        }
        catch (JsonException e)
        {
            throw new LdapConfigurationException("userToDNMapping must be a JSON array of {match, substitution} or {match, ldapQuery} documents with string values: " + e.Message, e);
        }
        var rules = new List<UserToDnRule>();
        foreach (var doc in documents ?? [])
        {
            var unknown = doc.Keys.FirstOrDefault(k => k is not ("match" or "substitution" or "ldapQuery"));
            if (unknown is not null)
            {
                throw new LdapConfigurationException($"userToDNMapping: unknown key '{unknown}' (expected match, substitution, ldapQuery).");
            }
            if (!doc.TryGetValue("match", out var match))
            {
                throw new LdapConfigurationException("userToDNMapping: every rule needs a 'match' expression.");
            }
            rules.Add(new UserToDnRule(match, doc.GetValueOrDefault("substitution"), doc.GetValueOrDefault("ldapQuery")));
        }
        return new UserToDnMapping(rules);
    }

    /// <summary>The first rule that matches <paramref name="user"/>, applied; null when none matches.</summary>
    /// <exception cref="LdapConfigurationException">The matching rule produced an invalid DN or query.</exception>
    public UserToDnMatch? Match(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        for (var i = 0; i < Rules.Count; i++)
        {
            if (Rules[i].Apply(user, i) is { } match)
            {
                return match;
            }
        }
        return null;
    }

    [GeneratedRegex(@"([{,]\s*)(match|substitution|ldapQuery)\s*:")]
    private static partial Regex BareKey();
}
