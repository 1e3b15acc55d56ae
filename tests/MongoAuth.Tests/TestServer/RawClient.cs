using System.Net.Security;
using System.Net.Sockets;
using MongoAuth.TestServer;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer;

/// <summary>A bare-socket client that speaks the wire layer directly, to drive the test server byte by byte.</summary>
internal sealed class RawClient : IAsyncDisposable
{
    /// <summary>Upper bound on any one read, so a server bug fails the test instead of hanging it.</summary>
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(30);

    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private int _requestId;

    private RawClient(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
    }

    public static async Task<RawClient> ConnectAsync(MongoTestServer server, bool tls = false)
    {
        var tcp = new TcpClient(server.EndPoint.AddressFamily);
        await tcp.ConnectAsync(server.EndPoint);
        Stream stream = tcp.GetStream();
        if (tls)
        {
            var ssl = new SslStream(stream, false, (_, _, _, _) => true);
            await ssl.AuthenticateAsClientAsync("localhost");
            stream = ssl;
        }

        return new RawClient(tcp, stream);
    }

    /// <summary>
    /// Sends <paramref name="command"/> as OP_MSG (adding <c>$db</c>, and any kind-1 document sequences) and returns
    /// the reply body.
    /// </summary>
    public async Task<BsonDocument> CommandAsync(BsonDocument command, string db = "admin",
        IReadOnlyList<DocumentSequence>? sequences = null)
    {
        var body = new BsonDocument(command) { { "$db", db } };
        await SendAsync(new OpMsgMessage(body, sequences: sequences) { RequestId = ++_requestId }.Encode());
        var reply = await ReadAsync() ?? throw new InvalidOperationException("The server closed the connection.");
        Assert.Equal(OpCode.Msg, reply.Header.OpCode);
        Assert.Equal(_requestId, reply.Header.ResponseTo);
        return OpMsgMessage.Decode(reply.Header, reply.Bytes).Body;
    }

    /// <summary>Sends a legacy OP_QUERY on <c>admin.$cmd</c> and returns the OP_REPLY document.</summary>
    public async Task<BsonDocument> LegacyCommandAsync(BsonDocument command)
    {
        var query = new OpQueryMessage(++_requestId, 0, "admin.$cmd", 0, -1, command);
        await SendAsync(query.Encode());
        var reply = await ReadAsync() ?? throw new InvalidOperationException("The server closed the connection.");
        Assert.Equal(OpCode.Reply, reply.Header.OpCode);
        Assert.Equal(_requestId, reply.Header.ResponseTo);
        return OpReplyMessage.Decode(reply.Header, reply.Bytes).Document;
    }

    /// <summary>Reads the next message the server sends (null when it closed the connection).</summary>
    public Task<WireMessage?> ReadMessageAsync() => ReadAsync();

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Whether the server closed the connection without sending anything more.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        try
        {
            return await ReadAsync() is null;
        }
        catch (IOException)
        {
            return true; // reset by the server
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    private async Task<WireMessage?> ReadAsync()
    {
        using var limit = new CancellationTokenSource(ReadLimit);
        return await WireMessageReader.ReadAsync(_stream, WireLimits.DefaultMaxMessageSize, runAsync: true, limit.Token);
    }
}
