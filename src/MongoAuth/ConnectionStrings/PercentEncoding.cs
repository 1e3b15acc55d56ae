using System.Text;

namespace MongoAuth.ConnectionStrings;

/// <summary>Strict percent-decoding of connection-string parts: every <c>%</c> needs two hex digits and the bytes must be UTF-8.</summary>
internal static class PercentEncoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="text"/>; <paramref name="what"/> names the part in the error message and
    /// <paramref name="optionName"/> (default: <paramref name="what"/>) goes to
    /// <see cref="MongoConfigurationException.OptionName"/>. The message gives the position but never the text, which may be a secret.
    /// Raw text with a lone surrogate is refused too: decoding would otherwise turn it silently into U+FFFD.</summary>
    public static string Decode(string text, string what, string? optionName = null)
    {
        WellFormedText.Require(text, what, optionName ?? what);
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return text;
        }

        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                var end = text.IndexOf('%', i);
                if (end < 0)
                {
                    end = text.Length;
                }

                bytes.AddRange(Encoding.UTF8.GetBytes(text[i..end]));
                i = end - 1;
                continue;
            }

            if (i + 2 >= text.Length || !Uri.IsHexDigit(text[i + 1]) || !Uri.IsHexDigit(text[i + 2]))
            {
                throw new MongoConfigurationException(
                    $"The {what} has a '%' at offset {i} that is not followed by two hex digits; percent-encode a literal '%' as %25.")
                { OptionName = optionName ?? what };
            }

            bytes.Add((byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2])));
            i += 2;
        }

        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw new MongoConfigurationException($"The {what} percent-decodes to bytes that are not valid UTF-8.") { OptionName = optionName ?? what };
        }
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
