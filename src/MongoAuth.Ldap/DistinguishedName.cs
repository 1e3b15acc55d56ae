using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace MongoAuth.Ldap;

/// <summary>One <c>type=value</c> pair of a relative distinguished name.</summary>
/// <param name="Type">The attribute type as written (a name such as <c>cn</c> or a numeric OID).</param>
/// <param name="Value">The unescaped value; for a <c>#hex</c> value, the <c>#hex</c> text itself.</param>
/// <param name="IsHexString">Whether the value was written in the <c>#hex</c> (BER) form.</param>
public readonly record struct DnAttribute(string Type, string Value, bool IsHexString = false);

/// <summary>
/// An RFC 4514 distinguished name: relative distinguished names (RDNs) from the entry up to the root, each one or
/// more <see cref="DnAttribute"/>s. Two DNs are equal when they name the same entry however they are escaped:
/// attribute types and values compare without regard to case (as LDAP's caseIgnoreMatch does for cn, ou, dc, uid),
/// <c>\2C</c> equals <c>\,</c>, spaces around separators do not count, and the attributes of a multi-valued RDN
/// compare in any order.
/// </summary>
public sealed class DistinguishedName : IEquatable<DistinguishedName>
{
    private readonly string _normalized;

    private DistinguishedName(IReadOnlyList<IReadOnlyList<DnAttribute>> rdns)
    {
        Rdns = rdns;
        _normalized = string.Join(",", rdns.Select(rdn => string.Join("+", rdn
            .Select(a => a.Type.ToUpperInvariant() + "=" + (a.IsHexString ? a.Value : EscapeValue(a.Value)).ToUpperInvariant())
            .Order(StringComparer.Ordinal))));
    }

    /// <summary>The RDNs, the entry's own first. Empty for the root DN (the empty string).</summary>
    public IReadOnlyList<IReadOnlyList<DnAttribute>> Rdns { get; }

    /// <summary>Parses an RFC 4514 string (also accepts RFC 2253's spaces around separators and <c>;</c>).</summary>
    /// <exception cref="FormatException">The text is not a distinguished name; the message says where.</exception>
    public static DistinguishedName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new DistinguishedName(new DnParser(text).ParseAll());
    }

    /// <summary>Parses like <see cref="Parse"/> but returns false instead of throwing.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out DistinguishedName? dn)
    {
        dn = null;
        if (text is null)
        {
            return false;
        }
        try
        {
            dn = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Escapes an attribute value for use in a DN string (RFC 4514 §2.4): <c>" + , ; &lt; &gt; \</c>, a leading
    /// <c>#</c> or space, a trailing space and NUL.
    /// </summary>
    public static string EscapeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var leading = i == 0 && (c == ' ' || c == '#');
            var trailing = i == value.Length - 1 && c == ' ';
            if (c == '\0')
            {
                sb.Append("\\00");
            }
            else if (leading || trailing || c is '"' or '+' or ',' or ';' or '<' or '>' or '\\')
            {
                sb.Append('\\').Append(c);
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <summary>The DN in RFC 4514 form with the types as written and values escaped minimally.</summary>
    public override string ToString() => string.Join(",", Rdns.Select(rdn => string.Join("+", rdn
        .Select(a => a.Type + "=" + (a.IsHexString ? a.Value : EscapeValue(a.Value))))));

    /// <inheritdoc />
    public bool Equals(DistinguishedName? other) =>
        other is not null && string.Equals(_normalized, other._normalized, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DistinguishedName);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_normalized);

    /// <summary>A single-pass RFC 4514 parser.</summary>
    private sealed class DnParser(string text)
    {
        private int _pos;

        public List<IReadOnlyList<DnAttribute>> ParseAll()
        {
            var rdns = new List<IReadOnlyList<DnAttribute>>();
            SkipSpaces();
            if (_pos == text.Length)
            {
                return rdns;
            }
            while (true)
            {
                var rdn = new List<DnAttribute> { ParseAttribute() };
                while (_pos < text.Length && text[_pos] == '+')
                {
                    _pos++;
                    rdn.Add(ParseAttribute());
                }
                rdns.Add(rdn);
                if (_pos == text.Length)
                {
                    return rdns;
                }
                if (text[_pos] is not (',' or ';'))
                {
                    throw Error($"expected ',' or '+' after a value, found '{text[_pos]}'");
                }
                _pos++;
            }
        }

        private DnAttribute ParseAttribute()
        {
            SkipSpaces();
            var start = _pos;
            while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '-' or '.'))
            {
                _pos++;
            }
            var type = text[start.._pos];
            if (type.Length == 0)
            {
                throw Error("expected an attribute type (such as cn)");
            }
            if (!IsDescriptor(type) && !IsNumericOid(type))
            {
                throw Error($"'{type}' is not an attribute type name or numeric OID");
            }
            SkipSpaces();
            if (_pos >= text.Length || text[_pos] != '=')
            {
                throw Error($"expected '=' after the attribute type '{type}'");
            }
            _pos++;
            SkipSpaces();
            return _pos < text.Length && text[_pos] == '#'
                ? new DnAttribute(type, ParseHexString(), IsHexString: true)
                : new DnAttribute(type, ParseStringValue());
        }

        private string ParseHexString()
        {
            var start = _pos++;
            while (_pos < text.Length && char.IsAsciiHexDigit(text[_pos]))
            {
                _pos++;
            }
            var value = text[start.._pos];
            if (value.Length < 3 || value.Length % 2 == 0)
            {
                throw Error("a '#' value needs an even number of hex digits");
            }
            SkipSpaces();
            return value;
        }

        private string ParseStringValue()
        {
            var bytes = new List<byte>();
            var lastSignificant = 0;
            Span<byte> utf8 = stackalloc byte[4];
            while (_pos < text.Length && text[_pos] is not (',' or ';' or '+'))
            {
                var c = text[_pos];
                if (c == '\\')
                {
                    _pos++;
                    if (_pos < text.Length && IsSpecial(text[_pos]))
                    {
                        bytes.Add((byte)text[_pos++]);
                    }
                    else if (_pos + 1 < text.Length && char.IsAsciiHexDigit(text[_pos]) && char.IsAsciiHexDigit(text[_pos + 1]))
                    {
                        bytes.Add(Convert.ToByte(text.Substring(_pos, 2), 16));
                        _pos += 2;
                    }
                    else
                    {
                        throw Error("'\\' must be followed by a special character or two hex digits");
                    }
                    lastSignificant = bytes.Count;
                    continue;
                }
                if (c is '"' or '<' or '>' or '\0' || (c == '=' && bytes.Count == 0))
                {
                    throw Error($"'{c}' must be escaped in a value");
                }
                var rune = char.IsSurrogate(c) && _pos + 1 < text.Length
                    ? new Rune(c, text[_pos + 1])
                    : new Rune(c);
                var written = rune.EncodeToUtf8(utf8);
                for (var i = 0; i < written; i++)
                {
                    bytes.Add(utf8[i]);
                }
                _pos += rune.Utf16SequenceLength;
                if (c != ' ')
                {
                    lastSignificant = bytes.Count;
                }
            }
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray(), 0, lastSignificant);
            }
            catch (DecoderFallbackException)
            {
                throw Error("the hex escapes of a value are not valid UTF-8");
            }
        }

        private void SkipSpaces()
        {
            while (_pos < text.Length && text[_pos] == ' ')
            {
                _pos++;
            }
        }

        private static bool IsSpecial(char c) => c is ' ' or '"' or '#' or '+' or ',' or ';' or '<' or '=' or '>' or '\\';

        private static bool IsDescriptor(string type) =>
            char.IsAsciiLetter(type[0]) && type.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

        private static bool IsNumericOid(string type) =>
            type.Split('.').All(part => part.Length > 0 && part.All(char.IsAsciiDigit) && (part.Length == 1 || part[0] != '0'));

        private FormatException Error(string what) =>
            new($"Not a valid distinguished name (RFC 4514) at position {_pos}: {what}.");
    }
}
