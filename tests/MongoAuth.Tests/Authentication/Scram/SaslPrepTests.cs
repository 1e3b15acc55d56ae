using MongoAuth.Authentication.Scram;

namespace MongoAuth.Tests.Authentication.Scram;

public sealed class SaslPrepTests
{
    [Theory]
    // RFC 4013 §3 examples.
    [InlineData("I\u00ADX", "IX")]
    [InlineData("user", "user")]
    [InlineData("USER", "USER")]
    [InlineData("\u00AA", "a")]
    [InlineData("\u2168", "IX")]
    // The MongoDB auth spec's SCRAM-SHA-256 SASLprep cases.
    [InlineData("I\u00ADV", "IV")]
    [InlineData("\u2163", "IV")]
    // Mapping: non-ASCII spaces to U+0020, table B.1 to nothing (U+200B is in both; B.1 wins).
    [InlineData("a\u00A0b\u3000c", "a b c")]
    [InlineData("a\u200Bb\uFEFFc\u180Bd", "abcd")]
    [InlineData("pass word", "pass word")]
    [InlineData("", "")]
    // Normalization form KC, including a supplementary-plane character.
    [InlineData("\uFB01", "fi")]
    [InlineData("e\u0301", "\u00E9")]
    [InlineData("\U0001D400", "A")]
    // Right-to-left strings that start and end with a RandALCat character are allowed.
    [InlineData("\u0627\u0031\u0628", "\u0627\u0031\u0628")]
    [InlineData("\u05D0", "\u05D0")]
    public void Prepares(string input, string expected) => Assert.Equal(expected, SaslPrep.Prepare(input));

    [Theory]
    [InlineData("\u0007", "prohibited")]                 // C.2.1 ASCII control (RFC 4013 §3 example)
    [InlineData("a\u0000b", "prohibited")]               // C.2.1
    [InlineData("a\u0085b", "prohibited")]               // C.2.2 non-ASCII control
    [InlineData("a\uE000b", "prohibited")]               // C.3 private use
    [InlineData("a\U000F0000b", "prohibited")]           // C.3 private use, plane 15
    [InlineData("a\uFDD0b", "prohibited")]               // C.4 non-character
    [InlineData("a\U0001FFFEb", "prohibited")]           // C.4 non-character, plane 1
    [InlineData("a\uFFFDb", "prohibited")]               // C.6 replacement character
    [InlineData("a\u2FF0b", "prohibited")]               // C.7 ideographic description
    [InlineData("a\u200Eb", "prohibited")]               // C.8 left-to-right mark
    [InlineData("a\U000E0041b", "prohibited")]           // C.9 tag
    [InlineData("\u0627\u0031", "start and end")]        // RFC 4013 §3 example: RandALCat must end the string
    [InlineData("\u0031\u0627", "start and end")]        // ... and start it
    [InlineData("\u0627a\u0628", "mixes")]               // RandALCat with LCat
    [InlineData("a\u0221", "unassigned")]                // A.1: assigned after Unicode 3.2
    [InlineData("\U0001F600", "unassigned")]             // A.1: emoji are newer than Unicode 3.2
    public void Refuses(string input, string rule)
    {
        var exception = Assert.Throws<ArgumentException>(() => SaslPrep.Prepare(input));

        Assert.Contains(rule, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(input, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0xD800, 1)] // C.5: lone high surrogate (attribute data cannot carry one, so the string is built here)
    [InlineData(0xDC00, 1)] // C.5: lone low surrogate
    [InlineData(0xD800, 2)] // at the end of the string
    public void Refuses_unpaired_surrogates(int surrogate, int position)
    {
        char[] chars = ['a', 'b'];
        string input = new string(chars).Insert(position, ((char)surrogate).ToString());

        var exception = Assert.Throws<ArgumentException>(() => SaslPrep.Prepare(input));

        Assert.Contains("unpaired surrogate", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x0221, true)]
    [InlineData(0x0220, false)]
    [InlineData(0x10FFFF, false)]
    [InlineData(0xE0000, true)]
    [InlineData(0x0041, false)]
    public void Unassigned_table_boundaries(int codePoint, bool unassigned) =>
        Assert.Equal(unassigned, StringprepTables.IsUnassigned(codePoint));

    [Theory]
    [InlineData(0x05BE, true, false)]
    [InlineData(0x0041, false, true)]
    [InlineData(0x0031, false, false)]
    [InlineData(0xFEFC, true, false)]
    [InlineData(0x10FFFD, false, true)]
    public void Bidi_tables(int codePoint, bool randAL, bool l)
    {
        Assert.Equal(randAL, StringprepTables.IsRandALCat(codePoint));
        Assert.Equal(l, StringprepTables.IsLCat(codePoint));
    }
}
