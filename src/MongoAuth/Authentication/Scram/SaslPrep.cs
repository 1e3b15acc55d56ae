using System.Buffers;
using System.Text;

namespace MongoAuth.Authentication.Scram;

/// <summary>
/// SASLprep (RFC 4013), the stringprep profile SCRAM-SHA-256 applies to passwords. .NET has no stringprep, so the
/// tables live in <see cref="StringprepTables"/>. Unassigned code points are refused (passwords are stored strings).
/// Error messages describe the broken rule but never quote the input, because the input is a password.
/// </summary>
internal static class SaslPrep
{
    /// <summary>Prepares <paramref name="value"/>; throws <see cref="ArgumentException"/> when a rule forbids it.</summary>
    public static string Prepare(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string normalized = Map(value).Normalize(NormalizationForm.FormKC);
        CheckProhibitedAndBidi(normalized);
        return normalized;
    }

    // RFC 4013 §2.1: table B.1 maps to nothing, other non-ASCII spaces become U+0020 (U+200B is in both tables;
    // B.1 wins, as in other drivers). Unassigned code points (table A.1) are checked here, on the input, because
    // the platform's normalization knows a newer Unicode than 3.2.
    private static string Map(string value)
    {
        var mapped = new StringBuilder(value.Length);
        foreach (Rune rune in EnumerateRunes(value))
        {
            if (StringprepTables.IsUnassigned(rune.Value))
            {
                throw Invalid("contains a code point that is unassigned in Unicode 3.2 (RFC 3454 table A.1)");
            }

            if (StringprepTables.IsMappedToNothing(rune.Value))
            {
                continue;
            }

            if (StringprepTables.IsNonAsciiSpace(rune.Value))
            {
                mapped.Append(' ');
            }
            else
            {
                mapped.Append(rune.ToString());
            }
        }

        return mapped.ToString();
    }

    // RFC 4013 §2.3 (prohibited output) and §2.4 with RFC 3454 §6 (bidirectional characters).
    private static void CheckProhibitedAndBidi(string normalized)
    {
        bool hasRandAL = false;
        bool hasL = false;
        bool firstIsRandAL = false;
        bool lastIsRandAL = false;
        bool first = true;
        foreach (Rune rune in EnumerateRunes(normalized))
        {
            if (StringprepTables.IsProhibited(rune.Value))
            {
                throw Invalid("contains a prohibited character (RFC 4013 section 2.3)");
            }

            bool isRandAL = StringprepTables.IsRandALCat(rune.Value);
            hasRandAL |= isRandAL;
            hasL |= StringprepTables.IsLCat(rune.Value);
            if (first)
            {
                firstIsRandAL = isRandAL;
                first = false;
            }

            lastIsRandAL = isRandAL;
        }

        if (hasRandAL && hasL)
        {
            throw Invalid("mixes right-to-left and left-to-right characters (RFC 3454 section 6)");
        }

        if (hasRandAL && !(firstIsRandAL && lastIsRandAL))
        {
            throw Invalid("contains right-to-left characters but does not start and end with one (RFC 3454 section 6)");
        }
    }

    // Like string.EnumerateRunes, but an unpaired surrogate is an error rather than U+FFFD (table C.5).
    private static IEnumerable<Rune> EnumerateRunes(string value)
    {
        int index = 0;
        while (index < value.Length)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(index), out Rune rune, out int consumed) != OperationStatus.Done)
            {
                throw Invalid("contains an unpaired surrogate (RFC 3454 table C.5)");
            }

            index += consumed;
            yield return rune;
        }
    }

    private static ArgumentException Invalid(string rule) => new($"The string cannot be prepared with SASLprep: it {rule}.");
}
