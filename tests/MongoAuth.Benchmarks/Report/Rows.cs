namespace MongoAuth.Benchmarks.Report;

/// <summary>Column and row names shared by the scenarios and the report.</summary>
internal static class Rows
{
    public const string MongoAuth = "MongoAuth";
    public const string Driver = "MongoDB.Driver";
    public const string Floor = "floor";

    /// <summary>The cold-connect reference: one PBKDF2 derivation at the server's iteration count plus the floor's connect-and-ping.</summary>
    public const string Reference = "PBKDF2 + floor";

    /// <summary>The transport variants every scenario runs.</summary>
    public static readonly IReadOnlyList<bool> TlsVariants = [false, true];

    /// <summary>
    /// The name the pool rows reach the TLS test server by (its certificate is issued for it; it resolves to 127.0.0.1
    /// here): the .NET runtime resumes TLS sessions only for a host name, never for an IP address.
    /// </summary>
    public const string TlsHostName = "localhost";

    public static string Transport(bool tls) => tls ? "TLS" : "no TLS";

    /// <summary>The mechanism of the main scenarios.</summary>
    public const string Scram = "SCRAM-SHA-256";

    /// <summary>Cold connect per mechanism beyond SCRAM: the mechanism and the transport it is measured over.</summary>
    public static readonly IReadOnlyList<(string Mechanism, bool Tls)> Mechanisms =
        [("MONGODB-X509", true), ("PLAIN", true), ("GSSAPI", false), (AwsExplicitKeys, false), (OidcFreshToken, false), (OidcCachedToken, false)];

    /// <summary>MONGODB-AWS with explicit keys given from code (no credential source is asked; the official driver
    /// cannot take part: its AWS package is not on the feed, and its cell says so).</summary>
    public const string AwsExplicitKeys = "MONGODB-AWS (explicit keys)";

    /// <summary>MONGODB-OIDC, each client calling the (same) callback on its first connection: saslStart with the token.</summary>
    public const string OidcFreshToken = "MONGODB-OIDC (fresh token)";

    /// <summary>MONGODB-OIDC with the token already cached when the client is made: it rides in hello (speculative).</summary>
    public const string OidcCachedToken = "MONGODB-OIDC (cached token, speculative)";

    public static string ColdConnect(bool tls, string mechanism = Scram) => $"Cold connect, {mechanism}, {Transport(tls)}";

    public static string PoolFill(bool tls) => $"Pool fill, 100 pings, {Transport(tls)}";

    public static string PoolWarmUp(bool tls) => $"Pool warm-up, minPoolSize 100, {Transport(tls)}";

    public static string Steady(bool tls, int workers) => $"Steady state, {workers} workers, {Transport(tls)}";
}
