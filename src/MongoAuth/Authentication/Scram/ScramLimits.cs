using System.Globalization;

namespace MongoAuth.Authentication.Scram;

/// <summary>The client's bounds on what a SCRAM server may ask of it, and how a refusal reads.</summary>
internal static class ScramLimits
{
    /// <summary>
    /// The default of <see cref="MongoClientSettings.MaxScramIterationCount"/>: above the 600,000 that OWASP's password
    /// storage guidance gives for PBKDF2-HMAC-SHA256 and about 65 times mongod's own defaults (10,000 for SCRAM-SHA-1,
    /// 15,000 for SCRAM-SHA-256), while one derivation at the cap stays far inside the default connectTimeoutMS of
    /// 10 s (docs/authentication.md has the measured cost).
    /// </summary>
    public const int DefaultMaxIterationCount = 1_000_000;

    /// <summary>The refusal of a server-first message whose <c>i=</c> exceeds the client's limit.</summary>
    public static string IterationCountTooHigh(long requested, int limit) =>
        $"the server asked for {Count(requested)} PBKDF2 iterations, more than this client's limit of {Count(limit)}. A server that " +
        "asks for that many may be trying to exhaust the client's CPU; if the server really is configured with that " +
        "count (scramIterationCount / scramSHA256IterationCount), raise MongoClientSettings.MaxScramIterationCount.";

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
