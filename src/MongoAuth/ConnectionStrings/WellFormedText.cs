namespace MongoAuth.ConnectionStrings;

/// <summary>
/// Checks that text can go on the wire. Every string MongoDB receives is UTF-8 (BSON strings, SASL payloads, the
/// handshake's application name), and a lone UTF-16 surrogate has no UTF-8 form (RFC 3629 §3), so such text is
/// refused when it is configured rather than failing later inside an encoder.
/// </summary>
internal static class WellFormedText
{
    /// <summary>The offset of the first surrogate without its partner, or -1 when <paramref name="text"/> is well formed.</summary>
    public static int FindLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Refuses a lone surrogate in <paramref name="text"/>; the message gives the offset, never the text
    /// (which may be a secret). <paramref name="what"/> names the part ("value of appname"), <paramref name="option"/>
    /// goes to <see cref="MongoConfigurationException.OptionName"/>.</summary>
    public static void Require(string? text, string what, string option)
    {
        var at = text is null ? -1 : FindLoneSurrogate(text);
        if (at >= 0)
        {
            throw new MongoConfigurationException(
                $"The {what} has a lone UTF-16 surrogate at offset {at}, which cannot be encoded as UTF-8; remove it or give the whole character.")
            { OptionName = option };
        }
    }
}
