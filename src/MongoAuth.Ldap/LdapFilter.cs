using System.Text;

namespace MongoAuth.Ldap;

/// <summary>RFC 4515 search filter helpers.</summary>
public static class LdapFilter
{
    /// <summary>
    /// Escapes a value for use inside a filter (RFC 4515 §3): <c>* ( ) \</c> and NUL become <c>\2a \28 \29 \5c \00</c>.
    /// A DN put into <c>(member={USER})</c> needs this, because its own escapes contain backslashes.
    /// </summary>
    public static string EscapeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '*' => "\\2a",
                '(' => "\\28",
                ')' => "\\29",
                '\\' => "\\5c",
                '\0' => "\\00",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>
    /// Checks the outer shape of a filter: enclosed in parentheses, parentheses balanced, escapes well formed.
    /// The LDAP server checks the rest and answers "filter error" when it objects.
    /// </summary>
    /// <exception cref="LdapConfigurationException">The filter is malformed.</exception>
    public static void Validate(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Length < 2 || filter[0] != '(' || filter[^1] != ')')
        {
            throw new LdapConfigurationException($"The LDAP filter '{filter}' must be enclosed in parentheses (RFC 4515).");
        }
        var depth = 0;
        for (var i = 0; i < filter.Length; i++)
        {
            switch (filter[i])
            {
                case '\\':
                    if (i + 2 >= filter.Length || !char.IsAsciiHexDigit(filter[i + 1]) || !char.IsAsciiHexDigit(filter[i + 2]))
                    {
                        throw new LdapConfigurationException($"The LDAP filter '{filter}' has a '\\' not followed by two hex digits (RFC 4515).");
                    }
                    i += 2;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    if (--depth < 0 || (depth == 0 && i != filter.Length - 1))
                    {
                        throw new LdapConfigurationException($"The LDAP filter '{filter}' has unbalanced parentheses.");
                    }
                    break;
            }
        }
        if (depth != 0)
        {
            throw new LdapConfigurationException($"The LDAP filter '{filter}' has unbalanced parentheses.");
        }
    }
}
