namespace MongoAuth.Pooling;

/// <summary>The pool options of a client (the same for every server's pool).</summary>
internal sealed record ConnectionPoolOptions(int MaxPoolSize, int MinPoolSize, int MaxConnecting, TimeSpan? MaxIdleTime)
{
    /// <summary>How often the background task prunes idle connections and tops up to minPoolSize.</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Load-balanced mode: generations count per service (hello's serviceId), a clear names a service and neither
    /// pauses the pool nor fails its waiters (CMAP, "Clearing a connection pool" in load balancer mode).
    /// </summary>
    public bool LoadBalanced { get; init; }

    public static ConnectionPoolOptions From(MongoClientSettings settings) =>
        new(settings.MaxPoolSize, settings.MinPoolSize, Math.Max(1, settings.MaxConnecting), settings.MaxIdleTime is { } t && t > TimeSpan.Zero ? t : null)
        {
            LoadBalanced = settings.LoadBalanced is true,
        };
}
