namespace MongoAuth.Benchmarks.Report;

/// <summary>Column and row names shared by the scenarios and the report.</summary>
internal static class Rows
{
    public const string MongoAuth = "MongoAuth";
    public const string Driver = "MongoDB.Driver";
    public const string Floor = "floor";

    /// <summary>The transport variants every scenario runs.</summary>
    public static readonly IReadOnlyList<bool> TlsVariants = [false, true];

    public static string Transport(bool tls) => tls ? "TLS" : "no TLS";

    public static string ColdConnect(bool tls) => $"Cold connect, SCRAM-SHA-256, {Transport(tls)}";

    public static string PoolFill(bool tls) => $"Pool fill, 100 pings, {Transport(tls)}";

    public static string Steady(bool tls, int workers) => $"Steady state, {workers} workers, {Transport(tls)}";
}
