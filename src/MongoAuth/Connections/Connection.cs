using System.Net.Sockets;
using System.Runtime.CompilerServices;
using MongoAuth.Authentication;
using MongoAuth.Operations;
using MongoAuth.Wire;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace MongoAuth.Connections;

/// <summary>
/// One connection to one server: OP_MSG commands over a stream, one request in flight, limits from the handshake,
/// and reauthentication when the server answers 391 (ReauthenticationRequired). Any network, timeout or protocol
/// failure closes it for good (<see cref="IsBroken"/>).
/// </summary>
internal sealed class Connection : ICommandChannel, IAsyncDisposable
{
    private const int ReauthenticationRequired = 391;

    private readonly Stream _stream;
    private readonly TimeSpan? _socketTimeout;
    private int _appliedSyncTimeout = int.MinValue; // nothing applied yet: the first synchronous exchange sets it
    private CancellationTokenSource? _timer;
    private CancellationTokenRegistration _abort;
    private readonly ServerApi? _serverApi;
    private readonly CommandMessageBuffers _buffers = new();
    // What every command gets besides its own elements ($db, Stable API, $readPreference, maxTimeMS), refilled for
    // each command (one request in flight) and written after them, so the caller's document is never copied.
    private readonly BsonDocument _additions = [];
    private BsonString? _database;
    private int _inFlight;
    private int _disposed;

    public Connection(MongoServerAddress server, long id, int generation, Stream stream, TimeSpan? socketTimeout, SaslConversationContext authenticationContext, ServerApi? serverApi = null)
    {
        _serverApi = serverApi;
        Server = server;
        Id = id;
        Generation = generation;
        _stream = stream;
        _socketTimeout = socketTimeout;
        AuthenticationContext = authenticationContext;
        LastUsed = Environment.TickCount64;
    }

    public MongoServerAddress Server { get; }

    /// <summary>The pool's id of this connection (from 1, rising by 1 per pool).</summary>
    public long Id { get; }

    /// <summary>
    /// The pool generation the connection was created in; in load-balanced mode the pool sets it to its service's
    /// generation once the handshake named the service (load-balancers spec, "Connection Pooling").
    /// </summary>
    public int Generation { get; set; }

    /// <summary>The load balancer's backend this connection reached (hello's <c>serviceId</c>); null outside load-balanced mode.</summary>
    public ObjectId? ServiceId => Description?.ServiceId;

    /// <summary>The handshake reply; null until the handshake ran.</summary>
    public HelloResult? Description { get; set; }

    /// <summary>
    /// The <c>$readPreference</c> the cluster chose for the operation running on this connection (server-selection
    /// spec, "Passing read preference to mongos and replica sets"); added to application commands; null = none.
    /// </summary>
    public BsonDocument? ReadPreference { get; set; }

    /// <summary>The connection's authentication context (endpoint, TLS, per-connection mechanism cache).</summary>
    public SaslConversationContext AuthenticationContext { get; }

    /// <summary>The client's authenticator and the mechanism that authenticated this connection, for reauthentication; null without auth.</summary>
    public (Authenticator Authenticator, IAuthenticationMechanism Mechanism)? AuthenticatedWith { get; set; }

    /// <summary>
    /// Whether an authentication conversation is running: a network failure or timeout then clears the pool
    /// (server-discovery-and-monitoring, "MongoDB Handshake errors"); one during connect, hello or an ordinary
    /// command does not, except that network errors of ordinary commands still do (see <see cref="Topology.Cluster"/>).
    /// </summary>
    public bool IsAuthenticating { get; set; }

    /// <summary>The pool's check-in event for this connection, made at the first check-in someone observes (it never changes).</summary>
    internal Pooling.ConnectionCheckedInEvent? CheckedInEvent { get; set; }

    /// <summary>Whether the connection failed and must not be used again.</summary>
    public bool IsBroken { get; private set; }

    /// <summary><see cref="Environment.TickCount64"/> when the connection was last used or created.</summary>
    public long LastUsed { get; private set; }

    /// <summary>
    /// Runs an application command and returns the reply. With <c>timeoutMS</c> the remaining time goes to the server as
    /// <c>maxTimeMS</c> (client-side-operations-timeout). After code 391 the connection reauthenticates once, on the same
    /// connection, in the same mode and within the same deadline, and runs the command again.
    /// </summary>
    public Task<BsonDocument> RunCommandAsync(string database, BsonDocument command, OperationContext context) =>
        RunAsync(database, command, sequence: null, step: null, application: true, context).AsTask();

    /// <summary>
    /// <see cref="RunCommandAsync(string, BsonDocument, OperationContext)"/> without a task (awaited once, by the
    /// cluster's command path), with <paramref name="lsid"/> when not null: written into the message after the
    /// command's own elements, so the caller's document is neither copied nor changed.
    /// </summary>
    internal ValueTask<BsonDocument> RunCommandValueAsync(string database, BsonDocument command, BsonDocument? lsid, OperationContext context) =>
        RunAsync(database, command, sequence: null, step: null, application: true, context, lsid: lsid);

    /// <summary>
    /// As <see cref="RunCommandAsync(string, BsonDocument, OperationContext)"/>, the reply's body read by
    /// <paramref name="replySerializer"/> (the data API reads cursor batches into the application's type with it as the reply
    /// is decoded; it must keep nothing of the reply's bytes, which the connection reuses).
    /// </summary>
    public Task<BsonDocument> RunCommandAsync(string database, BsonDocument command, IBsonSerializer<BsonDocument> replySerializer, OperationContext context) =>
        RunAsync(database, command, sequence: null, step: null, application: true, context, replySerializer).AsTask();

    /// <summary>
    /// Runs an application command whose batch travels as OP_MSG document sequences (kind-1 sections: insert's
    /// <c>documents</c>, update's <c>updates</c>, delete's <c>deletes</c>) instead of arrays inside the body, so the
    /// documents are serialised straight into the message and each may be up to maxBsonObjectSize; the sequence says how
    /// many fitted the message.
    /// </summary>
    public Task<BsonDocument> RunCommandAsync(string database, BsonDocument command, DocumentSequenceWriter? sequence, OperationContext context) =>
        RunAsync(database, command, sequence, step: null, application: true, context).AsTask();

    /// <summary>
    /// Sends an unacknowledged write (<c>w: 0</c>) with the OP_MSG <c>moreToCome</c> bit: the server sends no reply, so
    /// none is awaited (OP_MSG spec, "moreToCome"); the task completes once the message is written and the connection
    /// is free for the next command at once.
    /// </summary>
    public Task SendUnacknowledgedAsync(string database, BsonDocument command, DocumentSequenceWriter? sequence, OperationContext context) =>
        RunAsync(database, command, sequence, step: null, application: true, context, replySerializer: null, moreToCome: true).AsTask();

    /// <summary>Runs a handshake or authentication command (no maxTimeMS, no reauthentication); <paramref name="step"/> names it in errors.</summary>
    Task<BsonDocument> ICommandChannel.RunCommandAsync(string database, BsonDocument command, string step, OperationContext context) =>
        RunAsync(database, command, sequence: null, step, application: false, context).AsTask();

    // Pooled state machines: every command waits in here for the server.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<BsonDocument> RunAsync(string database, BsonDocument command, DocumentSequenceWriter? sequence, string? step, bool application, OperationContext context,
        IBsonSerializer<BsonDocument>? replySerializer = null, bool moreToCome = false, BsonDocument? lsid = null)
    {
        var commandName = command.ElementCount > 0 ? command.GetElement(0).Name : "(empty)";
        step ??= commandName;
        for (var reauthenticated = false; ; reauthenticated = true)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0 || IsBroken, this);
            if (Interlocked.Exchange(ref _inFlight, 1) != 0)
            {
                throw new InvalidOperationException("A connection runs one request at a time.");
            }
            BsonDocument reply;
            try
            {
                var additions = _additions;
                additions.Clear();
                additions["$db"] = _database is { } known && known.Value == database ? known : _database = new BsonString(database);
                // A declared Stable API version goes on every command: handshake, authentication and application
                // (servers since 5.0 accept it on getMore too, where the cursor's own version must match).
                _serverApi?.AppendTo(additions);
                if (lsid is not null)
                {
                    additions["lsid"] = lsid;
                }
                if (application && ReadPreference is { } readPreference)
                {
                    additions["$readPreference"] = readPreference;
                }
                if (application && context.UsesTimeoutMS && context.HasDeadline)
                {
                    // Nothing is sent once the time is up; otherwise the server may use what is left.
                    context.ThrowIfDone(step, Server);
                    additions["maxTimeMS"] = context.RemainingMilliseconds;
                }
                var requestId = RequestIds.Next();
                var limits = Description;
                var maxMessageSize = limits?.MaxMessageSizeBytes ?? WireLimits.DefaultMaxMessageSize;
                var maxDocumentSize = limits?.MaxBsonObjectSize ?? WireLimits.DefaultMaxDocumentSize;
                // Encoded before the exchange, into the connection's kept buffers: a command too large fails here and
                // leaves the connection usable.
                var bytes = _buffers.Encode(command, additions, requestId, maxMessageSize, maxDocumentSize,
                    moreToCome ? OpMsgFlags.MoreToCome : OpMsgFlags.None, sequence);
                reply = await ExchangeAsync(bytes, requestId, maxMessageSize, step, replySerializer, context, expectReply: !moreToCome).ConfigureAwait(false);
                LastUsed = Environment.TickCount64;
            }
            finally
            {
                Volatile.Write(ref _inFlight, 0);
            }
            if (reply.GetValue("ok", 0).ToDouble() == 1)
            {
                return reply;
            }
            var error = MongoCommandException.FromReply(commandName, reply);
            if (!application || reauthenticated || error.Code != ReauthenticationRequired || AuthenticatedWith is not { } auth)
            {
                throw error;
            }
            await ReauthenticateAsync(auth.Authenticator, auth.Mechanism, error, context).ConfigureAwait(false);
        }
    }

    /// <summary>Reauthenticates after 391; a network failure or timeout meanwhile clears the pool, as during authentication.</summary>
    private async Task ReauthenticateAsync(Authenticator authenticator, IAuthenticationMechanism mechanism, MongoCommandException cause, OperationContext context)
    {
        IsAuthenticating = true;
        try
        {
            await authenticator.ReauthenticateAsync(this, AuthenticationContext, mechanism, cause, context).ConfigureAwait(false);
        }
        finally
        {
            IsAuthenticating = false;
        }
    }

    // Pooled state machines: every command waits here for the server, and this machine is the largest of the chain.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<BsonDocument> ExchangeAsync(ReadOnlyMemory<byte> bytes, int requestId, int maxMessageSize, string step, IBsonSerializer<BsonDocument>? replySerializer,
        OperationContext io, bool expectReply = true)
    {
        // socketTimeoutMS bounds each command's I/O unless timeoutMS governs the operation (then it is ignored).
        io = io.UsesTimeoutMS ? io : io.WithTimeout(_socketTimeout, TimeoutOption.SocketTimeoutMS);
        if (io.IsExpired)
        {
            throw io.TimedOut(step, Server, null);
        }
        // Per-exchange state lives in fields (one request in flight), which keeps every command's state machine small.
        if (io.IsAsync)
        {
            _timer = io.LinkDeadline(out io);
        }
        else
        {
            // Synchronous reads and writes honour the socket's timeouts; a cancellation closes the socket under them.
            ApplySyncTimeout(io.RemainingMilliseconds);
            if (io.CancellationToken.CanBeCanceled)
            {
                _abort = io.CancellationToken.UnsafeRegister(static c => ((Connection)c!).Abort(), this);
            }
        }
        try
        {
            await WireMessageReader.WriteAsync(_stream, bytes, io.IsAsync, io.CancellationToken).ConfigureAwait(false);
            if (!expectReply)
            {
                // moreToCome: the server answers nothing, so the write is all there is ({ok: 1} stands for "sent").
                return new BsonDocument("ok", 1);
            }

            return await _buffers.ReadReplyAsync(_stream, requestId, maxMessageSize, io.IsAsync, io.CancellationToken, replySerializer).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException || io.CancellationToken.IsCancellationRequested ||
            e is IOException { InnerException: SocketException { SocketErrorCode: SocketError.TimedOut } })
        {
            // Cancelled by the caller, by the deadline's timer, or (synchronously) by the socket's timeout.
            await BreakAsync().ConfigureAwait(false);
            if (io.IsCallerCancelled)
            {
                throw e as OperationCanceledException ?? new OperationCanceledException($"The {step} command was cancelled.", e, io.CancellationToken);
            }
            throw io.TimedOut(step, Server, e, IsAuthenticating);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            await BreakAsync().ConfigureAwait(false);
            throw new MongoConnectionException($"The connection to {Server} failed during {step}: {e.Message} The connection was closed.", e) { Server = Server, DuringAuthentication = IsAuthenticating };
        }
        catch (MongoProtocolException e)
        {
            await BreakAsync().ConfigureAwait(false);
            throw new MongoConnectionException($"{Server} broke the wire protocol during {step}: {e.Message} The connection was closed.", e) { Server = Server, DuringAuthentication = IsAuthenticating };
        }
        finally
        {
            _timer?.Dispose();
            _abort.Dispose();
            (_timer, _abort) = (null, default);
        }
    }

    /// <summary>Sets the socket's read and write timeouts for a synchronous exchange, only when they change.</summary>
    private void ApplySyncTimeout(int milliseconds)
    {
        if (milliseconds != _appliedSyncTimeout && _stream.CanTimeout)
        {
            _stream.ReadTimeout = _stream.WriteTimeout = milliseconds;
            _appliedSyncTimeout = milliseconds;
        }
    }

    private void Abort()
    {
        IsBroken = true;
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // The peer is gone already.
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
}
