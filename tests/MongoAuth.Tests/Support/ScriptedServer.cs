using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Tests.Support;

/// <summary>What the scripted server does with one request.</summary>
internal abstract record ServerAction
{
    /// <summary>Answer with this document (ok:1 is not added).</summary>
    public static ServerAction Reply(BsonDocument document) => new ReplyAction(document);

    /// <summary>Send these bytes as they are (malformed, truncated or oversized frames), then close.</summary>
    public static ServerAction Raw(Func<int, byte[]> bytesForRequestId) => new RawAction(bytesForRequestId);

    /// <summary>
    /// Send these bytes as they are, then keep the connection open and read until the client closes it, so that
    /// <see cref="ScriptedServer.OpenConnections"/> shows whether the client let go of its socket.
    /// </summary>
    public static ServerAction RawThenWait(Func<int, byte[]> bytesForRequestId) => new RawThenWaitAction(bytesForRequestId);

    /// <summary>Close the connection without answering.</summary>
    public static ServerAction Drop { get; } = new DropAction();

    /// <summary>Never answer (for timeouts).</summary>
    public static ServerAction Silence { get; } = new SilenceAction();

    public static ServerAction Error(int code, string codeName, string message) =>
        Reply(new BsonDocument { { "ok", 0 }, { "code", code }, { "codeName", codeName }, { "errmsg", message } });
}

internal sealed record ReplyAction(BsonDocument Document) : ServerAction;

internal sealed record RawAction(Func<int, byte[]> Bytes) : ServerAction;

internal sealed record RawThenWaitAction(Func<int, byte[]> Bytes) : ServerAction;

internal sealed record DropAction : ServerAction;

internal sealed record SilenceAction : ServerAction;

/// <summary>One request as the scripted server saw it.</summary>
/// <param name="Connection">The server-side connection number (from 1).</param>
/// <param name="Command">The command document, $db included.</param>
internal sealed record ServerRequest(int Connection, BsonDocument Command)
{
    public string Name => Command.GetElement(0).Name;
}

/// <summary>
/// A loopback server on port 0 that answers each OP_MSG request as a test script says: documents, raw bytes, a
/// dropped connection or silence. Optional TLS with a certificate the test made. Records every request.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<ServerRequest, ServerAction> _script;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly List<ServerRequest> _requests = [];
    private readonly Task _accepting;
    private int _connectionCount;
    private int _openConnections;

    public ScriptedServer(Func<ServerRequest, ServerAction> script, X509Certificate2? certificate = null)
    {
        _script = script;
        _certificate = certificate;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public MongoServerAddress Address => new("127.0.0.1", Port, MongoHostKind.IPv4);

    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>Connections the server has accepted and not yet seen closed (by either side).</summary>
    public int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>Waits until every accepted connection has been closed; false when some are still open at the timeout.</summary>
    public async Task<bool> AllConnectionsClosedAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (OpenConnections > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        return OpenConnections == 0;
    }

    public IReadOnlyList<ServerRequest> Requests
    {
        get { lock (_requests) { return [.. _requests]; } }
    }

    public IReadOnlyList<string> CommandNames => [.. Requests.Select(r => r.Name)];

    /// <summary>A hello reply of a writable primary at wire version 21, plus <paramref name="extra"/>.</summary>
    public static BsonDocument Hello(BsonDocument? extra = null)
    {
        var reply = new BsonDocument
        {
            { "helloOk", true }, { "isWritablePrimary", true }, { "ismaster", true }, { "maxWireVersion", 21 }, { "minWireVersion", 0 },
            { "maxBsonObjectSize", 16 * 1024 * 1024 }, { "maxMessageSizeBytes", 48_000_000 }, { "ok", 1 },
        };
        if (extra is not null)
        {
            reply.Merge(extra, overwriteExistingElements: true);
        }
        return reply;
    }

    public static ServerAction Ok(BsonDocument? fields = null) =>
        ServerAction.Reply(new BsonDocument("ok", 1).Merge(fields ?? [], overwriteExistingElements: true));

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var number = Interlocked.Increment(ref _connectionCount);
            Interlocked.Increment(ref _openConnections);
            lock (_connections)
            {
                _connections.Add(ServeAsync(client, number));
            }
        }
    }

    private async Task ServeAsync(TcpClient client, int number)
    {
        using var _ = client;
        using var closed = new OnDispose(() => Interlocked.Decrement(ref _openConnections));
        try
        {
            Stream stream = client.GetStream();
            if (_certificate is not null)
            {
                var ssl = new SslStream(stream);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                stream = ssl;
            }
            await using (stream)
            {
                while (!_stop.IsCancellationRequested)
                {
                    var message = await WireMessageReader.ReadAsync(stream, 48_000_000, runAsync: true, _stop.Token);
                    if (message is null)
                    {
                        return;
                    }
                    var requestId = message.Header.RequestId;
                    var command = OpMsgMessage.Decode(message.Header, message.Bytes).Body;
                    var request = new ServerRequest(number, command);
                    lock (_requests)
                    {
                        _requests.Add(request);
                    }
                    switch (_script(request))
                    {
                        case ReplyAction reply:
                            await stream.WriteAsync(new OpMsgMessage(reply.Document) { RequestId = RequestIds.Next(), ResponseTo = requestId }.Encode(), _stop.Token);
                            break;
                        case RawAction raw:
                            await stream.WriteAsync(raw.Bytes(requestId), _stop.Token);
                            await stream.FlushAsync(_stop.Token);
                            return;
                        case RawThenWaitAction raw:
                            await stream.WriteAsync(raw.Bytes(requestId), _stop.Token);
                            await stream.FlushAsync(_stop.Token);
                            var sink = new byte[4096];
                            while (await stream.ReadAsync(sink, _stop.Token) > 0)
                            {
                                // Whatever the client still sends is ignored: only its close matters.
                            }
                            return;
                        case DropAction:
                            return;
                        case SilenceAction:
                            await Task.Delay(Timeout.Infinite, _stop.Token);
                            break;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException or MongoProtocolException)
        {
            // The client went away, the test ended, or the client refused our TLS certificate.
        }
    }

    private sealed class OnDispose(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] running;
        lock (_connections)
        {
            running = [.. _connections];
        }
        await Task.WhenAll(running);
        _stop.Dispose();
    }
}
