using System.Net.Sockets;
using MongoAuth.Authentication;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Connections;

/// <summary>
/// One connection to one server: OP_MSG commands over a stream, one request in flight, limits from the handshake.
/// Any network, timeout or protocol failure closes it for good (<see cref="IsBroken"/>).
/// </summary>
internal sealed class Connection : ICommandChannel, IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly TimeSpan? _socketTimeout;
    private int _inFlight;
    private int _disposed;

    public Connection(MongoServerAddress server, long id, int generation, Stream stream, TimeSpan? socketTimeout, SaslConversationContext authenticationContext)
    {
        Server = server;
        Id = id;
        Generation = generation;
        _stream = stream;
        _socketTimeout = socketTimeout;
        if (socketTimeout is { } limit && limit > TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan && stream.CanTimeout)
        {
            // Synchronous reads and writes honour these; asynchronous ones use the cancellation timer instead.
            stream.ReadTimeout = stream.WriteTimeout = (int)Math.Min(int.MaxValue, limit.TotalMilliseconds);
        }
        AuthenticationContext = authenticationContext;
        LastUsed = Environment.TickCount64;
    }

    public MongoServerAddress Server { get; }

    /// <summary>The pool's id of this connection (from 1, rising by 1 per pool).</summary>
    public long Id { get; }

    /// <summary>The pool generation the connection was created in.</summary>
    public int Generation { get; }

    /// <summary>The handshake reply; null until the handshake ran.</summary>
    public HelloResult? Description { get; set; }

    /// <summary>The connection's authentication context (endpoint, TLS, per-connection mechanism cache).</summary>
    public SaslConversationContext AuthenticationContext { get; }

    /// <summary>The mechanism that authenticated this connection, for reauthentication; null without auth.</summary>
    public IAuthenticationMechanism? AuthenticatedWith { get; set; }

    /// <summary>Whether the connection failed and must not be used again.</summary>
    public bool IsBroken { get; private set; }

    /// <summary><see cref="Environment.TickCount64"/> when the connection was last used or created.</summary>
    public long LastUsed { get; private set; }

    /// <summary>Runs a command asynchronously (authentication uses this through <see cref="ICommandChannel"/>).</summary>
    public Task<BsonDocument> RunCommandAsync(string database, BsonDocument command, CancellationToken cancellationToken) =>
        RunCommandAsync(database, command, runAsync: true, cancellationToken);

    /// <summary>The channel authentication uses on this connection, synchronous or not.</summary>
    public ICommandChannel AsChannel(bool runAsync) => runAsync ? this : new SyncChannel(this);

    /// <summary>
    /// Runs a command and returns the reply; with <paramref name="runAsync"/> false every read and write is synchronous
    /// (one code path for both APIs) and the returned task is already complete.
    /// </summary>
    public async Task<BsonDocument> RunCommandAsync(string database, BsonDocument command, bool runAsync, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0 || IsBroken, this);
        if (Interlocked.Exchange(ref _inFlight, 1) != 0)
        {
            throw new InvalidOperationException("A connection runs one request at a time.");
        }
        var commandName = command.ElementCount > 0 ? command.GetElement(0).Name : "(empty)";
        try
        {
            var body = new BsonDocument(command) { ["$db"] = database };
            var requestId = RequestIds.Next();
            var limits = Description;
            var bytes = new OpMsgMessage(body) { RequestId = requestId }.Encode(
                limits?.MaxMessageSizeBytes ?? WireLimits.DefaultMaxMessageSize, limits?.MaxBsonObjectSize ?? WireLimits.DefaultMaxDocumentSize);
            var maxMessageSize = limits?.MaxMessageSizeBytes ?? WireLimits.DefaultMaxMessageSize;
            var reply = await ExchangeAsync(bytes, requestId, maxMessageSize, commandName, runAsync, cancellationToken).ConfigureAwait(false);
            LastUsed = Environment.TickCount64;
            return reply.GetValue("ok", 0).ToDouble() == 1 ? reply : throw MongoCommandException.FromReply(commandName, reply);
        }
        finally
        {
            Volatile.Write(ref _inFlight, 0);
        }
    }

    private async Task<BsonDocument> ExchangeAsync(byte[] bytes, int requestId, int maxMessageSize, string commandName, bool runAsync, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_socketTimeout is { } limit && limit != Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(limit);
        }
        try
        {
            await WireMessageReader.WriteAsync(_stream, bytes, runAsync, timeout.Token).ConfigureAwait(false);
            var message = await WireMessageReader.ReadAsync(_stream, maxMessageSize, runAsync, timeout.Token).ConfigureAwait(false)
                ?? throw new EndOfStreamException("The server closed the connection.");
            var reply = OpMsgMessage.Decode(message.Header, message.Bytes);
            return message.Header.ResponseTo == requestId
                ? reply.Body
                : throw new MongoProtocolException($"The reply answers request {message.Header.ResponseTo}, not {requestId}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await BreakAsync().ConfigureAwait(false);
            throw new MongoConnectionException($"The {commandName} command to {Server} timed out after socketTimeoutMS ({_socketTimeout?.TotalMilliseconds} ms); the connection was closed.") { Server = Server };
        }
        catch (OperationCanceledException)
        {
            await BreakAsync().ConfigureAwait(false);
            throw;
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut })
        {
            await BreakAsync().ConfigureAwait(false);
            throw new MongoConnectionException($"The {commandName} command to {Server} timed out after socketTimeoutMS ({_socketTimeout?.TotalMilliseconds} ms); the connection was closed.", e) { Server = Server };
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            await BreakAsync().ConfigureAwait(false);
            throw new MongoConnectionException($"The connection to {Server} failed during {commandName}: {e.Message} The connection was closed.", e) { Server = Server };
        }
        catch (MongoProtocolException e)
        {
            await BreakAsync().ConfigureAwait(false);
            throw new MongoConnectionException($"{Server} broke the wire protocol during {commandName}: {e.Message} The connection was closed.", e) { Server = Server };
        }
    }

    private ValueTask BreakAsync()
    {
        IsBroken = true;
        return DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            try
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Closing a connection whose peer is gone: nothing left to release.
            }
        }
    }

    /// <summary>The synchronous face of a connection for authentication on the synchronous path.</summary>
    private sealed class SyncChannel(Connection connection) : ICommandChannel
    {
        public Task<BsonDocument> RunCommandAsync(string database, BsonDocument command, CancellationToken cancellationToken) =>
            connection.RunCommandAsync(database, command, runAsync: false, cancellationToken);
    }
}
