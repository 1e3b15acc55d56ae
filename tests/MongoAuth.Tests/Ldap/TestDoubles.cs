using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MongoAuth.Tests.Ldap;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>A logger that keeps every formatted message.</summary>
internal sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public string All => string.Join("\n", Messages);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Messages.Enqueue($"{logLevel}: {formatter(state, exception)}");
}
