namespace MongoAuth.Diagnostics;

/// <summary>
/// The names under which MongoAuth publishes traces and metrics, for OpenTelemetry's
/// <c>AddSource(MongoAuthTelemetry.ActivitySourceName)</c> and <c>AddMeter(MongoAuthTelemetry.MeterName)</c> (or an
/// <see cref="System.Diagnostics.ActivityListener"/> / <see cref="System.Diagnostics.Metrics.MeterListener"/>).
/// Spans and metrics follow OpenTelemetry's database semantic conventions for MongoDB; docs/telemetry.md lists them.
/// Nothing is recorded, and nothing is allocated for it, while no listener is attached.
/// </summary>
public static class MongoAuthTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name: <c>MongoAuth</c>.</summary>
    public const string ActivitySourceName = "MongoAuth";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name: <c>MongoAuth</c>.</summary>
    public const string MeterName = "MongoAuth";
}
