using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using MongoAuth.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MongoAuth.Connections.Tls;
using MongoAuth.Diagnostics;
using MongoAuth.Operations;
using MongoDB.Bson;

namespace MongoAuth.Connections;

/// <summary>
/// Opens ready connections, top to bottom: TCP → TLS → hello (with the authentication session's additions) → the rest
/// of the authentication → ready. One deadline covers the whole establishment: connectTimeoutMS, or the operation's
/// timeoutMS when that ends sooner. A connection leaves here authenticated or not at all.
/// </summary>
internal sealed class ConnectionFactory(MongoClientSettings settings, Authenticator? authenticator, IConnectionObserver? observer)
{
    private readonly BsonDocument _metadata = ClientMetadata.Create(settings.ApplicationName);
    private readonly TlsClientOptions? _tls = settings.UseTls ? new TlsClientOptions(settings.Tls) : null;
    private readonly ILogger _logger = settings.LoggerFactory?.CreateLogger("MongoAuth.Connection") ?? NullLogger.Instance;

    public Authenticator? Authenticator => authenticator;

    /// <summary>Added to a failure of hello without TLS.</summary>
    internal const string TlsExpectedHint =
        "The server closed the connection before answering hello, as a server that requires TLS does to a plain connection: if it expects TLS, add tls=true.";

    /// <summary>
    /// Opens an authenticated connection. When <paramref name="operation"/> is synchronous every step is synchronous
    /// down to the socket (the synchronous API's path) and the returned task is complete.
    /// </summary>
    public async Task<Connection> OpenAsync(MongoServerAddress server, long id, int generation, OperationContext operation)
    {
        var context = operation.WithTimeout(settings.ConnectTimeout, TimeoutOption.ConnectTimeoutMS);
        // One token for the whole establishment that fires at the deadline, for the code that takes only a token: SASL
        // steps (SCRAM's key derivation), DNS and Kerberos lookups, the asynchronous socket calls.
        using var deadline = context.LinkDeadline(out context);
        return await OpenWithinAsync(server, id, generation, context).ConfigureAwait(false);
    }

    private async Task<Connection> OpenWithinAsync(MongoServerAddress server, long id, int generation, OperationContext context)
    {
        var watch = Stopwatch.StartNew();
        var trace = ConnectionTrace.Start(_logger, server, id);
        Stream stream;
        try
        {
            stream = await ConnectTcpAsync(server, settings.HostAddressResolver, context).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            trace.Failed(e, authentication: null);
            throw;
        }
        Report(server, ConnectionStep.TcpConnect, watch, $"connected to {server}");
        Connection? connection = null;
        AuthenticationSession? session = null;
        try
        {
            if (_tls is not null)
            {
                stream = await AuthenticateTlsAsync(_tls, server, stream, context).ConfigureAwait(false);
                var ssl = (SslStream)stream;
                trace.TlsEstablished(ssl);
                Report(server, ConnectionStep.TlsHandshake, watch, $"{ssl.SslProtocol}, {ssl.NegotiatedCipherSuite}, server certificate {ssl.RemoteCertificate?.Subject}");
            }
            var conversation = new SaslConversationContext(
                new DnsEndPoint(server.Host, server.Port), settings.UseTls, settings.UseTls && TlsClientOptions.VerifiesServerIdentity(settings.Tls));
            connection = new Connection(server, id, generation, stream, settings.SocketTimeout, conversation, settings.ServerApi);

            session = authenticator?.Begin(conversation);
            if (session is not null)
            {
                trace.AuthenticationStarting(authenticator!.MechanismName);
            }
            var hello = await HelloAsync(connection, session, context).ConfigureAwait(false);
            connection.Description = hello;
            trace.HelloAnswered(hello.MaxWireVersion);
            Report(server, ConnectionStep.Hello, watch,
                $"maxWireVersion {hello.MaxWireVersion}, writable primary {hello.IsWritablePrimary}, speculative auth {(hello.SpeculativeAuthenticate is null ? "not answered" : "answered")}");

            if (session is not null)
            {
                // A network failure or timeout from here on (unlike one during connect or hello) clears the pool (SDAM).
                connection.IsAuthenticating = true;
                var mechanism = await session.CompleteAsync(connection, hello, context).ConfigureAwait(false);
                connection.IsAuthenticating = false;
                connection.AuthenticatedWith = (authenticator!, mechanism);
                trace.Authenticated(mechanism.Name, settings.Credential?.Username, mechanism.Source, session.UsesSpeculation);
                Report(server, ConnectionStep.Authentication, watch, $"{mechanism.Name} as '{settings.Credential?.Username}' on '{mechanism.Source}'");
            }
            trace.Ready();
            return connection;
        }
        catch (Exception e)
        {
            if (connection?.Description?.ServiceId is { } service && e is MongoException failure)
            {
                // Load-balanced mode: hello named the backend, so a failure after it (authentication) is that backend's.
                failure.ServiceId = service;
            }
            // Before hello answered, a failure is hello's (which may carry the first step, e.g. X.509's whole exchange).
            var inHello = connection?.Description is null;
            trace.Failed(e, session is null || authenticator is null ? null : new ConnectionTrace.Authentication(
                authenticator.MechanismName, settings.Credential?.Username, authenticator.Configured.Source,
                session.UsesSpeculation || (inHello && session.SpeculativeMechanism is not null), inHello ? "hello" : "authentication"));
            // Not ready: whatever was opened is closed.
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
    }

    private async Task<HelloResult> HelloAsync(Connection connection, AuthenticationSession? session, OperationContext context)
    {
        // The handshake rules: hello when a Stable API version is declared or behind a load balancer (servers that
        // understand either know hello); otherwise the legacy isMaster with helloOk, which every supported server answers.
        var command = settings.LoadBalanced == true || settings.ServerApi is not null
            ? new BsonDocument { { "hello", 1 } }
            : new BsonDocument { { "isMaster", 1 }, { "helloOk", true } };
        if (settings.LoadBalanced == true)
        {
            command["loadBalanced"] = true;
        }
        command["client"] = _metadata;
        command["backpressure"] = "2";
        if (session is not null)
        {
            await session.AddToHelloAsync(command, context).ConfigureAwait(false);
        }
        BsonDocument reply;
        try
        {
            reply = await ((ICommandChannel)connection).RunCommandAsync("admin", command, "hello", context).ConfigureAwait(false);
        }
        catch (MongoCommandException e)
        {
            throw new MongoConnectionException($"The handshake with {connection.Server} failed: {e.Message}", e) { Server = connection.Server };
        }
        catch (MongoConnectionException e) when (ClientCertificateRefusal.IsLikely(e, _tls is { HasClientCertificate: true }))
        {
            // The server closed or reset the connection before answering hello (not a timeout).
            throw new MongoConnectionException($"{e.Message} {TlsClientOptions.ClientCertificateRefusedHint}", e) { Server = connection.Server };
        }
        catch (MongoConnectionException e) when (_tls is null && e is not MongoOperationTimeoutException && !e.DuringAuthentication)
        {
            // A server that requires TLS reads the plain hello as a broken TLS record and closes the connection (mongod
            // with tlsMode requireTLS, and ours): the one common cause of a close before hello is answered.
            throw new MongoConnectionException($"{e.Message} {TlsExpectedHint}", e) { Server = connection.Server };
        }
        var hello = HelloResult.Parse(reply, connection.Server, settings.MaxWireMessageSize);
        if (settings.LoadBalanced == true && hello.ServiceId is null)
        {
            // load-balancers spec: a server behind a MongoDB load balancer answers loadBalanced:true with the
            // serviceId of the backend; without it the client cannot pin cursors or clear the right connections.
            throw new MongoConnectionException(
                $"{connection.Server} answered hello without a serviceId although the client asked with loadBalanced: true: " +
                "it is not a mongos behind a load balancer configured for MongoDB drivers. Remove loadBalanced=true to connect to it directly, " +
                "or point the client at the load balancer.")
            { Server = connection.Server };
        }
        return hello;
    }

    private static async Task<Stream> ConnectTcpAsync(MongoServerAddress server, Func<string, IPAddress[]>? resolveHost, OperationContext context)
    {
        Socket? socket = null;
        try
        {
            if (server.Kind == MongoHostKind.UnixSocket)
            {
                socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                var endPoint = new UnixDomainSocketEndPoint(server.Host);
                if (context.IsAsync)
                {
                    await socket.ConnectAsync(endPoint, context.CancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // A local socket connects or fails at once.
                    socket.Connect(endPoint);
                }
            }
            else if (context.IsAsync)
            {
                socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await (resolveHost is null || IPAddress.TryParse(server.Host, out _)
                    ? socket.ConnectAsync(server.Host, server.Port, context.CancellationToken)
                    : socket.ConnectAsync(resolveHost(server.Host), server.Port, context.CancellationToken)).ConfigureAwait(false);
            }
            else
            {
                socket = ConnectSynchronously(server, resolveHost, context);
            }
            var stream = new NetworkStream(socket, ownsSocket: true);
            socket = null;
            return stream;
        }
        catch (Exception e) when (e is OperationCanceledException || (context.CancellationToken.IsCancellationRequested && e is SocketException or ObjectDisposedException))
        {
            throw context.Interrupted("TCP connect", server, e);
        }
        catch (SocketException e)
        {
            throw new MongoConnectionException($"Could not connect to {server}: {e.Message} ({e.SocketErrorCode}).", e) { Server = server };
        }
        finally
        {
            socket?.Dispose();
        }
    }

    /// <summary>
    /// A synchronous connect that honours the deadline and the token: each address of the host in turn, connected
    /// non-blocking and waited for with poll(2) for at most the remaining time; a cancellation closes the socket, which
    /// ends the wait. The host name lookup is bounded the same way (<see cref="BlockingDns"/>), unless the settings'
    /// internal resolver (tests) answers it.
    /// </summary>
    private static Socket ConnectSynchronously(MongoServerAddress server, Func<string, IPAddress[]>? resolveHost, OperationContext context)
    {
        var addresses = IPAddress.TryParse(server.Host, out var literal) ? [literal]
            : resolveHost?.Invoke(server.Host) ?? BlockingDns.GetHostAddresses(server.Host, "DNS lookup", server, context);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            context.ThrowIfDone("TCP connect", server);
            Socket? socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                ConnectWithin(socket, new IPEndPoint(address, server.Port), server, context);
                var connected = socket;
                socket = null;
                return connected;
            }
            catch (SocketException e) when (!context.CancellationToken.IsCancellationRequested)
            {
                last = e;
            }
            finally
            {
                socket?.Dispose();
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private static void ConnectWithin(Socket socket, IPEndPoint endPoint, MongoServerAddress server, OperationContext context)
    {
        if (!context.HasDeadline && !context.CancellationToken.CanBeCanceled)
        {
            socket.Connect(endPoint);
            return;
        }
        socket.Blocking = false;
        try
        {
            socket.Connect(endPoint);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            using var abort = context.CancellationToken.CanBeCanceled
                ? context.CancellationToken.UnsafeRegister(static s => ((Socket)s!).Dispose(), socket)
                : default;
            var wait = context.Remaining is { } left ? (int)Math.Min(int.MaxValue, Math.Ceiling(left.TotalMicroseconds)) : -1;
            if (!socket.Poll(wait, SelectMode.SelectWrite) && !socket.Poll(0, SelectMode.SelectError))
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                throw context.TimedOut("TCP connect", server, null);
            }
            if (socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error) is int error && error != 0)
            {
                throw new SocketException(error);
            }
        }
        socket.Blocking = true;
    }

    private static async Task<Stream> AuthenticateTlsAsync(TlsClientOptions tls, MongoServerAddress server, Stream stream, OperationContext context)
    {
        var options = tls.Create(server.Host, out var validator);
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        CancellationTokenRegistration abort = default;
        try
        {
            if (context.IsAsync)
            {
                await ssl.AuthenticateAsClientAsync(options, context.CancellationToken).ConfigureAwait(false);
            }
            else
            {
                // The synchronous handshake takes no token: the socket's timeouts bound each read and write by the
                // remaining time, and the establishment's token (deadline or cancellation) closes the socket under it.
                stream.ReadTimeout = stream.WriteTimeout = context.RemainingMilliseconds;
                if (context.CancellationToken.CanBeCanceled)
                {
                    abort = context.CancellationToken.UnsafeRegister(static s => ((Stream)s!).Dispose(), stream);
                }
                ssl.AuthenticateAsClient(options);
            }
            return ssl;
        }
        catch (Exception e) when (e is OperationCanceledException || context.CancellationToken.IsCancellationRequested ||
            e is IOException { InnerException: SocketException { SocketErrorCode: SocketError.TimedOut } })
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw context.Interrupted("TLS handshake", server, e);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var reason = validator.Failure?.Message ?? (ClientCertificateRefusal.IsLikely(e, tls.HasClientCertificate) ? $"{e.Message} {TlsClientOptions.ClientCertificateRefusedHint}" : e.Message);
            throw new MongoConnectionException($"The TLS handshake with {server} failed: {reason}", e) { Server = server };
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            abort.Dispose();
        }
    }

    private void Report(MongoServerAddress server, ConnectionStep step, Stopwatch watch, string detail)
    {
        observer?.OnStepCompleted(server, step, watch.Elapsed, detail);
        watch.Restart();
    }
}
