using System.Diagnostics;
using MongoAuth.ConnectionStrings;
using MongoAuth.Tests.ConnectionStrings;

namespace MongoAuth.Tests.Diagnostics;

/// <summary>
/// A misspelled option (<c>tlss=true</c> leaves TLS off) is not silent: the warning suggests the option meant, and the
/// client logs it when built with a logger factory that did not see the parse (dependency injection), or traces it
/// when it has no logger at all.
/// </summary>
public sealed class ConnectionStringWarningTests
{
    [Theory]
    [InlineData("tlss", "tls")]
    [InlineData("TLSS", "tls")]
    [InlineData("autSource", "authSource")]
    [InlineData("authSorce", "authSource")]
    [InlineData("authMechansim", "authMechanism")] // transposition
    [InlineData("replicaSte", "replicaSet")]
    [InlineData("conectTimeoutMS", "connectTimeoutMS")]
    [InlineData("foo", null)]
    [InlineData("xy", null)]
    [InlineData("somethingElseEntirely", null)]
    public void A_near_miss_suggests_the_option(string written, string? expected) =>
        Assert.Equal(expected, ConnectionStringOptions.SuggestFor(written));

    [Fact]
    public void The_warning_says_did_you_mean()
    {
        var parsed = ConnectionString.Parse("mongodb://localhost/?tlss=true");

        var warning = Assert.Single(parsed.Warnings);
        Assert.Equal("tlss is not a known option and was ignored; did you mean tls?", warning.Message);
        Assert.False(parsed.Settings.UseTls);
    }

    [Fact]
    public async Task A_client_given_a_logger_factory_after_parsing_logs_the_warnings_once()
    {
        var logger = new ListLogger();
        var settings = MongoClientSettings.FromConnectionString("mongodb://localhost/?tlss=true") with { LoggerFactory = new ListLoggerFactory(logger) };

        await using var client = new MongoClient(settings);

        var entry = Assert.Single(logger.Entries, e => e.EventId.Id == 1);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, entry.Level);
        Assert.Contains("did you mean tls?", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_whose_settings_logged_the_warnings_while_parsing_does_not_repeat_them()
    {
        var logger = new ListLogger();
        var settings = MongoClientSettings.FromConnectionString("mongodb://localhost/?tlss=true", new ListLoggerFactory(logger));

        await using var client = new MongoClient(settings);

        Assert.Single(logger.Entries, e => e.EventId.Id == 1);
    }

    [Fact]
    public async Task A_client_without_any_logger_traces_the_warnings()
    {
        using var listener = new RecordingTraceListener();
        Trace.Listeners.Add(listener);
        try
        {
            await using var client = new MongoClient("mongodb://localhost/?authSorce=admin");
        }
        finally
        {
            Trace.Listeners.Remove(listener);
        }

        Assert.Contains(listener.Lines, l => l.Contains("authSorce is not a known option and was ignored; did you mean authSource?", StringComparison.Ordinal));
    }

    private sealed class RecordingTraceListener : TraceListener
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public override void Write(string? message) => WriteLine(message);

        public override void WriteLine(string? message)
        {
            lock (_lines)
            {
                _lines.Add(message ?? string.Empty);
            }
        }
    }
}
