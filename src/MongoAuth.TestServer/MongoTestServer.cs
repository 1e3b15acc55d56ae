using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Scram;
using MongoAuth.TestServer.Authentication.X509;
using MongoAuth.TestServer.Connections;
using MongoAuth.TestServer.Data;
using MongoAuth.TestServer.FailPoints;
using MongoAuth.TestServer.Users;
using MongoDB.Bson;

namespace MongoAuth.TestServer;

/// <summary>
/// An in-process server that speaks the MongoDB wire protocol well enough to connect and authenticate: hello/isMaster
/// (OP_MSG and legacy OP_QUERY; awaitable and exhaust for streaming monitors), saslStart/saslContinue with any
/// registered mechanism, speculative authentication, ping, buildInfo, connectionStatus, endSessions, the versioned API
/// checks, failCommand fail points, and the data commands (insert, find, update, delete, aggregate, indexes, …) over an
/// in-memory store shared by its connections. Listens on loopback by default. docs/testing.md says where it is
/// faithful to mongod and where not.
/// </summary>
public sealed class MongoTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, IServerSaslMechanism> _mechanisms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IServerAuthenticateHandler> _authenticateHandlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, (ServerConnection Connection, Task Task)> _connections = new();
    private Task _acceptLoop = Task.CompletedTask;
    private long _lastConnectionId;
    private int _lastRequestId;
    private int _disposed;

    private MongoTestServer(TestServerOptions options, TestUserStore? users = null, DataStore? data = null)
    {
        Options = options;
        Users = users ?? new TestUserStore();
        Data = data ?? new DataStore();
        Logger = options.LoggerFactory?.CreateLogger<MongoTestServer>() ?? NullLogger<MongoTestServer>.Instance;
        _listener = new TcpListener(options.Address, options.Port);
        // Built once per server, as mongod builds its TLS context once: creating it costs ~0.5 ms per connection.
        TlsCertificateContext = options.TlsCertificate is { } certificate
            ? SslStreamCertificateContext.Create(certificate, options.TlsIntermediates, offline: true, ClientCertificateAuthorities(options))
            : null;
        foreach (var mechanism in ScramMechanismNames.Both)
        {
            RegisterMechanism(new ScramServerMechanism(mechanism, Users.FindScramAccount));
        }

        RegisterAuthenticateHandler(new X509ServerHandler(Users));
    }

    /// <summary>The address and actual port the server listens on.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>The actual port (useful when the options asked for port 0).</summary>
    public int Port => EndPoint.Port;

    /// <summary>The users the server authenticates.</summary>
    public TestUserStore Users { get; }

    /// <summary>Connections accepted and commands received.</summary>
    public TestServerStatistics Statistics { get; } = new();

    internal TestServerOptions Options { get; }

    /// <summary>The server certificate and its intermediates, ready for TLS handshakes; null without TLS.</summary>
    internal SslStreamCertificateContext? TlsCertificateContext { get; }

    internal ILogger Logger { get; }

    /// <summary>This server's identity in hello's <c>topologyVersion</c>, new for every server as for every mongod process.</summary>
    internal ObjectId ProcessId { get; } = ObjectId.GenerateNewId();

    internal FailPointRegistry FailPoints { get; } = new();

    /// <summary>The in-memory databases the data commands read and write, shared by all connections.</summary>
    internal DataStore Data { get; }

    /// <summary>What the server is beyond a standalone (a replica-set member or a mongos); null for a standalone.</summary>
    internal Topology.ServerRole? Role { get; private set; }

    /// <summary>How many cursors are open on the server (a client that stops reading early should kill its own).</summary>
    public int OpenCursorCount => Data.OpenCursorCount;

    /// <summary>Starts listening; the returned server accepts connections until disposed.</summary>
    /// <param name="options">How to listen and behave.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<MongoTestServer> StartAsync(TestServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        var server = new MongoTestServer(options);
        server._listener.Start();
        server._acceptLoop = server.AcceptLoopAsync();
        ServerLog.Listening(server.Logger, server.EndPoint);
        return Task.FromResult(server);
    }

    /// <summary>Starts a member of a deployment (replica set or sharded cluster) sharing its users and data.</summary>
    internal static Task<MongoTestServer> StartAsync(TestServerOptions options, TestUserStore users, DataStore data,
        Func<MongoTestServer, Topology.ServerRole> role, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var server = new MongoTestServer(options, users, data);
        server.Role = role(server);
        server._listener.Start();
        server._acceptLoop = server.AcceptLoopAsync();
        ServerLog.Listening(server.Logger, server.EndPoint);
        return Task.FromResult(server);
    }

    /// <summary>
    /// Adds (or replaces) the server half of a SASL mechanism, keyed by its name. SCRAM-SHA-1 and SCRAM-SHA-256 over
    /// <see cref="Users"/> are registered from the start; register a <see cref="ScramServerMechanism"/> again to
    /// change its test options.
    /// </summary>
    public void RegisterMechanism(IServerSaslMechanism mechanism)
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        _mechanisms[mechanism.Name] = mechanism;
    }

    /// <summary>
    /// Adds (or replaces) the handler of the <c>authenticate</c> command for one mechanism. MONGODB-X509 over the
    /// <c>$external</c> users of <see cref="Users"/> (<see cref="X509ServerHandler"/>) is registered from the start.
    /// </summary>
    public void RegisterAuthenticateHandler(IServerAuthenticateHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _authenticateHandlers[handler.Name] = handler;
    }

    /// <summary>
    /// Sets the <c>failCommand</c> fail point (the C# form of <c>configureFailPoint</c>); null turns it off.
    /// </summary>
    public void ConfigureFailPoint(FailCommand? failCommand) => FailPoints.Set(failCommand);

    /// <summary>Stops listening, closes every connection and waits for them to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        foreach (var (connection, _) in _connections.Values)
        {
            connection.Abort();
        }

        await Task.WhenAll(_connections.Values.Select(c => c.Task)).ConfigureAwait(false);
        _stopping.Dispose();
    }

    internal IServerSaslMechanism? FindMechanism(string name) => _mechanisms.GetValueOrDefault(name);

    internal IServerAuthenticateHandler? FindAuthenticateHandler(string name) => _authenticateHandlers.GetValueOrDefault(name);

    internal int NextRequestId() => Interlocked.Increment(ref _lastRequestId);

    /// <summary>
    /// The CAs named in the TLS CertificateRequest when client certificates are asked for: those a client certificate
    /// must chain to, as mongod (OpenSSL) lists the subjects of its tlsCAFile, so a client holding several
    /// certificates can pick one the server accepts. Null sends no names.
    /// </summary>
    private static SslCertificateTrust? ClientCertificateAuthorities(TestServerOptions options) =>
        options.ClientCertificates != ClientCertificateMode.None && options.ClientCertificateTrust is { Count: > 0 } trust
            ? SslCertificateTrust.CreateForX509Collection(trust, sendTrustInHandshake: true)
            : null;

    private async Task AcceptLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException &&
                                      token.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // A client that reset before accept completed; keep listening.
            }

            // As mongod does: replies go out at once instead of waiting on a delayed ACK (Nagle), which otherwise adds
            // ~40 ms to some TLS handshakes and makes benchmark numbers bimodal.
            socket.NoDelay = true;
            Statistics.OnConnectionAccepted();
            var id = Interlocked.Increment(ref _lastConnectionId);
            var connection = new ServerConnection(this, socket, id);
            ServerLog.Accepted(Logger, id, socket.RemoteEndPoint);
            var task = RunConnectionAsync(connection, token);
            _connections[id] = (connection, task);
            if (task.IsCompleted)
            {
                _connections.TryRemove(id, out _);
            }
        }
    }

    private async Task RunConnectionAsync(ServerConnection connection, CancellationToken cancellationToken)
    {
        await Task.Yield();
        await connection.RunAsync(cancellationToken).ConfigureAwait(false);
        _connections.TryRemove(connection.ConnectionId, out _);
    }
}
