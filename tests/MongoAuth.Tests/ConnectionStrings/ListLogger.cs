using Microsoft.Extensions.Logging;

namespace MongoAuth.Tests.ConnectionStrings;

/// <summary>
/// A logger that keeps what was logged so tests can assert it: the formatted messages, and each entry whole (level,
/// event id, message, exception, structured values). Enabled at every level, Trace included; thread-safe (pools log
/// from background tasks).
/// </summary>
internal sealed class ListLogger : ILogger
{
    private readonly List<string> _messages = [];
    private readonly List<LogEntry> _entries = [];

    public List<string> Messages
    {
        get
        {
            lock (_entries)
            {
                return [.. _messages];
            }
        }
    }

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
        var entry = new LogEntry(logLevel, eventId, message, exception, [.. values]);
        lock (_entries)
        {
            _messages.Add(message);
            _entries.Add(entry);
        }
    }
}

/// <summary>One captured log entry; <see cref="AllText"/> is everything a sink could write out.</summary>
internal sealed record LogEntry(LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyList<KeyValuePair<string, object?>> Values)
{
    public string AllText => string.Join("\n", [Message, Exception?.ToString() ?? string.Empty, .. Values.Select(v => $"{v.Key}={v.Value}")]);

    public object? Value(string name) => Values.FirstOrDefault(v => v.Key == name).Value;
}
