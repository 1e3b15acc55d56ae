using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MongoAuth.Authentication.Scram;

/// <summary>
/// Formatting and parsing of SCRAM messages (RFC 5802 §5.1, §7), shared by client and test server. Parsing errors
/// are <see cref="FormatException"/>s whose messages name the attribute, never a proof or key.
/// </summary>
internal static class ScramMessages
{
    /// <summary>The GS2 header MongoDB uses: no channel binding, no authorization identity.</summary>
    public const string Gs2Header = "n,,";

    /// <summary>The <c>c=</c> value that goes with <see cref="Gs2Header"/>: base64("n,,").</summary>
    public const string ChannelBinding = "biws";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A fresh nonce: 24 bytes from the CSPRNG in base64 (printable, no comma).</summary>
    public static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    /// <summary>The saslname form of a user name: <c>=</c> becomes <c>=3D</c> and <c>,</c> becomes <c>=2C</c>.</summary>
    public static string EscapeUsername(string username) =>
        username.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    /// <summary>Reverses <see cref="EscapeUsername"/>; any other <c>=</c> sequence is malformed.</summary>
    public static string UnescapeUsername(string saslName)
    {
        var result = new StringBuilder(saslName.Length);
        for (int i = 0; i < saslName.Length; i++)
        {
            if (saslName[i] != '=')
            {
                result.Append(saslName[i]);
                continue;
            }

            string escape = saslName.Length >= i + 3 ? saslName.Substring(i + 1, 2) : string.Empty;
            result.Append(escape switch
            {
                "3D" => '=',
                "2C" => ',',
                _ => throw new FormatException("The user name contains '=' that is not followed by 2C or 3D."),
            });
            i += 2;
        }

        return result.ToString();
    }

    /// <summary>client-first-message-bare: <c>n=user,r=nonce</c>.</summary>
    public static string ClientFirstBare(string username, string clientNonce) => $"n={EscapeUsername(username)},r={clientNonce}";

    /// <summary>client-final-message-without-proof: <c>c=biws,r=nonce</c>.</summary>
    public static string ClientFinalWithoutProof(string combinedNonce) => $"c={ChannelBinding},r={combinedNonce}";

    /// <summary>AuthMessage := client-first-message-bare + "," + server-first-message + "," + client-final-message-without-proof.</summary>
    public static byte[] AuthMessage(string clientFirstBare, string serverFirst, string clientFinalWithoutProof) =>
        Encoding.UTF8.GetBytes($"{clientFirstBare},{serverFirst},{clientFinalWithoutProof}");

    /// <summary>Decodes a payload as strict UTF-8.</summary>
    public static string Decode(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return StrictUtf8.GetString(payload.Span);
        }
        catch (DecoderFallbackException exception)
        {
            throw new FormatException("The message is not valid UTF-8.", exception);
        }
    }

    /// <summary>
    /// Parses <c>a=value,b=value</c> into attributes by their one-letter name. Values never contain a comma in
    /// SCRAM (base64, printable nonces and escaped names), so a comma always separates attributes.
    /// </summary>
    public static Dictionary<char, string> ParseAttributes(string message)
    {
        var attributes = new Dictionary<char, string>();
        foreach (string part in message.Split(','))
        {
            if (part.Length < 2 || part[1] != '=' || !char.IsAsciiLetter(part[0]))
            {
                throw new FormatException("The message is not a list of 'name=value' attributes.");
            }

            if (!attributes.TryAdd(part[0], part[2..]))
            {
                throw new FormatException($"The message repeats the attribute '{part[0]}'.");
            }
        }

        return attributes;
    }

    /// <summary>The value of a required attribute.</summary>
    public static string Required(Dictionary<char, string> attributes, char name) =>
        attributes.TryGetValue(name, out string? value)
            ? value
            : throw new FormatException($"The message has no '{name}=' attribute.");

    /// <summary>The base64 value of a required attribute, decoded.</summary>
    public static byte[] RequiredBase64(Dictionary<char, string> attributes, char name)
    {
        string value = Required(attributes, name);
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException exception)
        {
            throw new FormatException($"The '{name}=' attribute is not valid base64.", exception);
        }
    }

    /// <summary>
    /// The iteration count attribute <c>i=</c>: a positive decimal number. Returned as a long so that a count too large
    /// for an int is still reported as a count (and refused for exceeding the client's limit), not as garbage.
    /// </summary>
    public static long RequiredIterationCount(Dictionary<char, string> attributes)
    {
        string value = Required(attributes, 'i');
        return value.Length is > 0 and <= 18 && value.All(char.IsAsciiDigit)
            && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long count) && count > 0
            ? count
            : throw new FormatException(value.Length > 18 && value.All(char.IsAsciiDigit)
                ? $"The 'i=' attribute has {value.Length} digits; no iteration count is that large."
                : "The 'i=' attribute is not a positive number.");
    }
}
