using System.Text.RegularExpressions;
using MongoAuth.Tests.ConnectionStrings;

namespace MongoAuth.Tests.Diagnostics;

/// <summary>Checks a captured log for secrets: the given values, and anything shaped like a token, key or signature.</summary>
internal static partial class LogAssert
{
    /// <summary>
    /// Asserts that an authentication or connection failure was logged (so the log under test is not empty) and that no
    /// entry — message, exception with its stack, structured values — holds any of <paramref name="secrets"/>, a run of
    /// 32 or more base64 characters mixing letters and digits (a SASL payload, proof, signature, token or key in base64)
    /// or 64 or more hex digits (a key or signature in hex). Absolute paths in stack traces are not base64.
    /// </summary>
    public static void FailureLoggedWithoutSecrets(ListLogger logger, params string[] secrets)
    {
        var entries = logger.Entries;
        Assert.Contains(entries, e => e.EventId.Id is 201 or 101);
        foreach (var entry in entries)
        {
            var text = entry.AllText;
            foreach (var secret in secrets.Where(s => s.Length > 0))
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"event {entry.EventId} holds a secret: {text}");
            }
            foreach (Match match in Base64Run().Matches(text))
            {
                var run = match.Value;
                var looksEncoded = !run.StartsWith('/') && run.Any(char.IsAsciiDigit) && run.Any(char.IsAsciiLetterUpper) && run.Any(char.IsAsciiLetterLower);
                Assert.False(looksEncoded, $"event {entry.EventId} holds something base64-encoded ('{run}'): {text}");
            }
            Assert.False(HexRun().IsMatch(text), $"event {entry.EventId} holds a long hex string: {text}");
        }
    }

    [GeneratedRegex("[A-Za-z0-9+/]{32,}={0,2}")]
    private static partial Regex Base64Run();

    [GeneratedRegex("[0-9A-Fa-f]{64,}")]
    private static partial Regex HexRun();
}
