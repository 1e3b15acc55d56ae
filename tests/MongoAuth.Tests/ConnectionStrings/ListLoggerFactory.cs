using Microsoft.Extensions.Logging;

namespace MongoAuth.Tests.ConnectionStrings;

/// <summary>A logger factory whose every category writes to one <see cref="ListLogger"/>.</summary>
internal sealed class ListLoggerFactory(ListLogger logger) : ILoggerFactory
{
    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => logger;

    public void Dispose()
    {
    }
}
