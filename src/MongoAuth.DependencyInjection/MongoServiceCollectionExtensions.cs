using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MongoAuth.DependencyInjection;

/// <summary>
/// Registers one <see cref="MongoClient"/> as a singleton: built on first use from <see cref="MongoClientOptions"/>,
/// with the container's <see cref="ILoggerFactory"/> (when the settings name none), validated when the host starts,
/// and disposed with the container.
/// </summary>
public static class MongoServiceCollectionExtensions
{
    /// <summary>Registers a client for <paramref name="connectionString"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionString">A <c>mongodb://</c> or <c>mongodb+srv://</c> connection string.</param>
    /// <param name="configure">Adjusts the parsed settings (optional).</param>
    public static IServiceCollection AddMongoClient(
        this IServiceCollection services, string connectionString, Func<MongoClientSettings, MongoClientSettings>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return services.AddMongoClient(options =>
        {
            options.ConnectionString = connectionString;
            options.Configure = configure;
        });
    }

    /// <summary>
    /// Registers a client from a configuration section whose <c>ConnectionString</c> key holds the connection string
    /// (for example the section <c>"Mongo"</c> of appsettings.json: <c>{ "Mongo": { "ConnectionString": "mongodb://…" } }</c>).
    /// The section is read when the options are first needed, so configuration reloads before that are seen.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section.</param>
    /// <param name="configure">Adjusts the parsed settings (optional).</param>
    public static IServiceCollection AddMongoClient(
        this IServiceCollection services, IConfiguration section, Func<MongoClientSettings, MongoClientSettings>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        return services.AddMongoClient(options =>
        {
            options.ConnectionString = section[nameof(MongoClientOptions.ConnectionString)];
            options.Configure = configure;
        });
    }

    /// <summary>
    /// Registers a client from the named connection string of the container's <see cref="IConfiguration"/>
    /// (<c>ConnectionStrings:&lt;name&gt;</c>, as <c>GetConnectionString</c> reads it).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The connection string's name.</param>
    /// <param name="configure">Adjusts the parsed settings (optional).</param>
    public static IServiceCollection AddMongoClientFromConnectionStringName(
        this IServiceCollection services, string name, Func<MongoClientSettings, MongoClientSettings>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        services.AddOptions<MongoClientOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            options.ConnectionString = configuration.GetConnectionString(name);
            options.Configure = configure;
        });
        return services.AddMongoClientCore();
    }

    /// <summary>Registers a client configured by code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets <see cref="MongoClientOptions.ConnectionString"/> and optionally
    /// <see cref="MongoClientOptions.Configure"/>.</param>
    public static IServiceCollection AddMongoClient(this IServiceCollection services, Action<MongoClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<MongoClientOptions>().Configure(configure);
        return services.AddMongoClientCore();
    }

    private static IServiceCollection AddMongoClientCore(this IServiceCollection services)
    {
        services.AddOptions<MongoClientOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MongoClientOptions>, MongoClientOptionsValidator>());
        services.TryAddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<MongoClientOptions>>().Value.BuildSettings();
            if (settings.LoggerFactory is null && provider.GetService<ILoggerFactory>() is { } loggerFactory)
            {
                settings = settings with { LoggerFactory = loggerFactory };
            }
            return new MongoClient(settings);
        });
        return services;
    }
}
