using System.Collections.Concurrent;

namespace MongoAuth.TestServer;

/// <summary>Counters a test can assert on: connections accepted and commands received by name.</summary>
public sealed class TestServerStatistics
{
    private readonly ConcurrentDictionary<string, int> _commands = new(StringComparer.Ordinal);
    private int _connectionsAccepted;

    /// <summary>How many connections the listener accepted.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref _connectionsAccepted);

    /// <summary>How many commands named <paramref name="commandName"/> (as sent, e.g. <c>isMaster</c>) were received.</summary>
    public int CommandsReceived(string commandName) => _commands.GetValueOrDefault(commandName);

    /// <summary>A snapshot of the command counts by name.</summary>
    public IReadOnlyDictionary<string, int> Commands => new Dictionary<string, int>(_commands, StringComparer.Ordinal);

    internal void OnConnectionAccepted() => Interlocked.Increment(ref _connectionsAccepted);

    internal void OnCommand(string commandName) => _commands.AddOrUpdate(commandName, 1, static (_, n) => n + 1);
}
