using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MongoAuth.DependencyInjection;

/// <summary>Adds the MongoDB health check to <c>services.AddHealthChecks()</c>.</summary>
public static class MongoHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that runs <c>ping</c> on <paramref name="database"/> through the registered
    /// <see cref="MongoClient"/> (see <see cref="MongoServiceCollectionExtensions"/>) and reports
    /// <paramref name="failureStatus"/> with the failing step when it fails or takes longer than
    /// <paramref name="timeout"/> (default 5 s).
    /// </summary>
    /// <param name="builder">The health-checks builder.</param>
    /// <param name="name">The check's name (default "mongodb").</param>
    /// <param name="database">The database to ping (default "admin").</param>
    /// <param name="timeout">How long the ping may take (default 5 s).</param>
    /// <param name="failureStatus">The status reported on failure (default Unhealthy).</param>
    /// <param name="tags">Tags for filtering checks.</param>
    public static IHealthChecksBuilder AddMongoAuth(
        this IHealthChecksBuilder builder,
        string name = "mongodb",
        string database = "admin",
        TimeSpan? timeout = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(database);
        var limit = timeout ?? TimeSpan.FromSeconds(5);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero, nameof(timeout));
        return builder.Add(new HealthCheckRegistration(
            name,
            provider => new MongoHealthCheck(provider.GetRequiredService<MongoClient>(), database, limit),
            failureStatus,
            tags));
    }
}
