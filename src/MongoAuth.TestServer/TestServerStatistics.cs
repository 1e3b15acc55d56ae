using System.Collections.Concurrent;
using MongoAuth.TestServer.Protocol;
using MongoDB.Bson;

namespace MongoAuth.TestServer;

/// <summary>Counters a test can assert on: connections accepted, TLS server names (SNI) and commands received by name.</summary>
public sealed class TestServerStatistics
{
    private readonly ConcurrentDictionary<string, int> _commands = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _tlsServerNames = new();
    private readonly ConcurrentDictionary<string, ReceivedCommand> _last = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<BsonValue, byte> _sessionIds = new();
    private int _connectionsAccepted;
    private int _tlsResumed;
    private int _exhaustStreams;

    /// <summary>How many connections the listener accepted.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref _connectionsAccepted);

    /// <summary>
    /// How many exhaust streams of awaitable hellos began: a client monitoring with the SDAM streaming protocol, as
    /// drivers do when hello carries a topologyVersion.
    /// </summary>
    public int ExhaustStreamsStarted => Volatile.Read(ref _exhaustStreams);

    /// <summary>How many commands named <paramref name="commandName"/> (as sent, e.g. <c>isMaster</c>) were received.</summary>
    public int CommandsReceived(string commandName) => _commands.GetValueOrDefault(commandName);

    /// <summary>A snapshot of the command counts by name.</summary>
    public IReadOnlyDictionary<string, int> Commands => new Dictionary<string, int>(_commands, StringComparer.Ordinal);

    /// <summary>The SNI host name of each completed TLS handshake, in order (empty when the client sent none).</summary>
    public IReadOnlyList<string> TlsServerNames => [.. _tlsServerNames];

    /// <summary>
    /// How many completed TLS handshakes resumed an earlier session (a TLS 1.3 session ticket the server accepted, as
    /// its ServerHello shows) instead of a full handshake with the certificate.
    /// </summary>
    public int TlsHandshakesResumed => Volatile.Read(ref _tlsResumed);

    internal void OnTlsHandshake(string serverName, bool resumed)
    {
        _tlsServerNames.Enqueue(serverName);
        if (resumed)
        {
            Interlocked.Increment(ref _tlsResumed);
        }
    }

    internal void OnExhaustStream() => Interlocked.Increment(ref _exhaustStreams);

    internal void OnConnectionAccepted() => Interlocked.Increment(ref _connectionsAccepted);

    /// <summary>
    /// The last command named <paramref name="commandName"/> as received (document sequences folded in as arrays) and
    /// how many document sequences it came with; null when none was received. For asserting on what a client sent.
    /// </summary>
    public ReceivedCommand? LastCommand(string commandName) => _last.GetValueOrDefault(commandName);

    /// <summary>How many distinct <c>lsid</c>s the server has seen on commands (server sessions a client used).</summary>
    public int SessionIdsSeen => _sessionIds.Count;

    internal void OnCommand(string commandName) => _commands.AddOrUpdate(commandName, 1, static (_, n) => n + 1);

    internal void OnCommand(string commandName, ServerRequest request)
    {
        OnCommand(commandName);
        _last[commandName] = new ReceivedCommand(request.Command, request.DocumentSequences, request.MoreToCome);
        if (request.Command.TryGetValue("lsid", out var lsid))
        {
            _sessionIds.TryAdd(lsid, 0);
        }
    }
}

/// <summary>A command as the server received it.</summary>
/// <param name="Command">The command document, document sequences folded in as arrays.</param>
/// <param name="DocumentSequences">How many OP_MSG document sequences carried part of it.</param>
/// <param name="MoreToCome">Whether the client set moreToCome (an unacknowledged write: no reply was sent).</param>
public sealed record ReceivedCommand(BsonDocument Command, int DocumentSequences, bool MoreToCome = false);
