using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MongoAuth.Connections.Tls;

/// <summary>
/// Formats an X.500 name the way mongod names X.509 users: RFC 2253 order (last RDN of the encoding first),
/// <c>,</c> between RDNs, <c>+</c> inside a multi-valued RDN, short attribute names where they exist and RFC 2253
/// escaping, e.g. <c>CN=client,OU=eng,O=MongoAuth,C=US</c>. Attributes without a short name are written as a dotted
/// OID with the value as <c>#</c> and the hex of its DER encoding (RFC 2253 §2.4).
/// </summary>
internal static class Rfc2253Name
{
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.4"] = "SN",
        ["2.5.4.5"] = "serialNumber",
        ["2.5.4.6"] = "C",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.9"] = "STREET",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["2.5.4.12"] = "title",
        ["2.5.4.42"] = "GN",
        ["0.9.2342.19200300.100.1.1"] = "UID",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["1.2.840.113549.1.9.1"] = "emailAddress",
    };

    /// <summary>The RFC 2253 form of the certificate's subject.</summary>
    public static string Subject(X509Certificate2 certificate) => Format(certificate.SubjectName);

    /// <summary>The RFC 2253 form of <paramref name="name"/>.</summary>
    /// <exception cref="AsnContentException">The name is not a valid DER X.500 name.</exception>
    public static string Format(X500DistinguishedName name)
    {
        var rdns = new List<string>();
        var sequence = new AsnReader(name.RawData, AsnEncodingRules.DER).ReadSequence();
        while (sequence.HasData)
        {
            var set = sequence.ReadSetOf();
            var attributes = new List<string>();
            while (set.HasData)
            {
                attributes.Add(FormatAttribute(set.ReadSequence()));
            }

            rdns.Add(string.Join('+', attributes));
        }

        rdns.Reverse();
        return string.Join(',', rdns);
    }

    private static string FormatAttribute(AsnReader attribute)
    {
        var oid = attribute.ReadObjectIdentifier();
        var value = attribute.ReadEncodedValue();
        return ShortNames.TryGetValue(oid, out var shortName) && TryReadString(value, out var text)
            ? $"{shortName}={Escape(text)}"
            : $"{oid}=#{Convert.ToHexStringLower(value.Span)}";
    }

    private static bool TryReadString(ReadOnlyMemory<byte> encoded, out string text)
    {
        var reader = new AsnReader(encoded, AsnEncodingRules.DER);
        var tag = reader.PeekTag();
        if (tag.TagClass == TagClass.Universal && (UniversalTagNumber)tag.TagValue is var type && IsString(type))
        {
            text = reader.ReadCharacterString(type);
            return true;
        }

        text = "";
        return false;
    }

    private static bool IsString(UniversalTagNumber type) => type is UniversalTagNumber.UTF8String or UniversalTagNumber.PrintableString
        or UniversalTagNumber.IA5String or UniversalTagNumber.T61String or UniversalTagNumber.BMPString
        or UniversalTagNumber.UniversalString or UniversalTagNumber.VisibleString;

    private static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length + 4);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var special = c is ',' or '+' or '"' or '\\' or '<' or '>' or ';'
                || (i == 0 && c is '#' or ' ')
                || (i == value.Length - 1 && c == ' ');
            if (special)
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
