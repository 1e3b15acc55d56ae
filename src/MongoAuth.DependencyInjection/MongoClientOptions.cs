namespace MongoAuth.DependencyInjection;

/// <summary>
/// How the container builds its <see cref="MongoClient"/>: a connection string, and optionally code that adjusts the
/// settings parsed from it. Validated when the host starts (a bad option fails startup, naming the option).
/// </summary>
public sealed class MongoClientOptions
{
    /// <summary>A <c>mongodb://</c> or <c>mongodb+srv://</c> connection string. Required.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Adjusts the settings parsed from <see cref="ConnectionString"/>, e.g.
    /// <c>s =&gt; s with { MaxPoolSize = 20 }</c>. Settings are immutable, so it returns the settings to use.
    /// </summary>
    public Func<MongoClientSettings, MongoClientSettings>? Configure { get; set; }

    /// <summary>The settings these options describe, without a logger (the container adds its own).</summary>
    /// <exception cref="MongoConfigurationException">The connection string is missing or invalid.</exception>
    internal MongoClientSettings BuildSettings()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new MongoConfigurationException(
                "No MongoDB connection string is configured: set MongoClientOptions.ConnectionString, the configuration " +
                "section's \"ConnectionString\" key, or the named entry under \"ConnectionStrings\".");
        }
        var settings = MongoClientSettings.FromConnectionString(ConnectionString);
        return Configure is null ? settings : Configure(settings);
    }
}
