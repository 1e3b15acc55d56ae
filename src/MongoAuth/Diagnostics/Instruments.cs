using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace MongoAuth.Diagnostics;

/// <summary>
/// The library's one <see cref="ActivitySource"/> and one <see cref="Meter"/> (both named <c>MongoAuth</c>) and its
/// instruments. Process-wide, as <see cref="ActivitySource"/> and <see cref="Meter"/> are meant to be: listeners
/// select by name, and the pool name tag tells servers apart.
/// </summary>
internal static class Instruments
{
    private static readonly string? Version =
        typeof(Instruments).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    public static readonly ActivitySource Source = new(MongoAuthTelemetry.ActivitySourceName, Version);

    public static readonly Meter Meter = new(MongoAuthTelemetry.MeterName, Version);

    // Bucket boundaries the conventions advise for durations in seconds.
    private static readonly double[] DurationBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

    public static readonly Histogram<double> OperationDuration = Meter.CreateHistogram(
        SemanticConventions.OperationDuration, "s", "Duration of database client operations.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    public static readonly UpDownCounter<long> ConnectionCount = Meter.CreateUpDownCounter<long>(
        SemanticConventions.ConnectionCount, "{connection}", "The number of connections that are currently in the state described by the state attribute.");

    public static readonly Histogram<double> ConnectionCreateTime = Meter.CreateHistogram(
        SemanticConventions.ConnectionCreateTime, "s", "The time it took to create a new connection (TCP, TLS, hello and authentication).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    /// <summary>
    /// The conventions' <c>error.type</c>: the server's error code for a command the server refused (as
    /// <c>db.response.status_code</c>), otherwise the exception's full type name.
    /// </summary>
    public static string ErrorType(Exception e) => e switch
    {
        MongoCommandException command => command.Code.ToString(System.Globalization.CultureInfo.InvariantCulture),
        MongoAuthenticationException { ServerErrorCode: { } code } => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => e.GetType().FullName ?? e.GetType().Name,
    };

    public static string PoolName(MongoServerAddress server) => server.ToString();
}
