using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using MongoAuth.Authentication;
using MongoAuth.Connections.Tls;
using MongoDB.Bson;

namespace MongoAuth.Connections;

/// <summary>
/// Opens ready connections: TCP (connectTimeoutMS) → TLS → handshake (client metadata, saslSupportedMechs,
/// speculativeAuthenticate) → the rest of the auth conversation. A connection leaves here authenticated or not at all.
/// </summary>
internal sealed class ConnectionFactory(MongoClientSettings settings, Authenticator? authenticator, IConnectionObserver? observer)
{
    private readonly BsonDocument _metadata = ClientMetadata.Create(settings.ApplicationName);
    private readonly TlsClientOptions? _tls = settings.UseTls ? new TlsClientOptions(settings.Tls) : null;

    public Authenticator? Authenticator => authenticator;

    /// <summary>
    /// Opens an authenticated connection. With <paramref name="runAsync"/> false the TLS handshake and every command
    /// are synchronous (the synchronous API's path) and the returned task is complete.
    /// </summary>
    public async Task<Connection> OpenAsync(MongoServerAddress server, long id, int generation, bool runAsync, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var stream = await ConnectTcpAsync(server, runAsync, cancellationToken).ConfigureAwait(false);
        Report(server, ConnectionStep.TcpConnect, watch, $"connected to {server}");
        Connection? connection = null;
        try
        {
            if (_tls is not null)
            {
                stream = await AuthenticateTlsAsync(_tls, server, stream, runAsync, cancellationToken).ConfigureAwait(false);
                var ssl = (SslStream)stream;
                Report(server, ConnectionStep.TlsHandshake, watch, $"{ssl.SslProtocol}, {ssl.NegotiatedCipherSuite}, server certificate {ssl.RemoteCertificate?.Subject}");
            }
            var context = new SaslConversationContext(
                new DnsEndPoint(server.Host, server.Port), settings.UseTls, settings.UseTls && TlsClientOptions.VerifiesServerIdentity(settings.Tls));
            connection = new Connection(server, id, generation, stream, settings.SocketTimeout, context);

            var speculation = authenticator is null
                ? SpeculativeAuthentication.None
                : await authenticator.PrepareHandshakeAsync(context, cancellationToken).ConfigureAwait(false);
            var channel = connection.AsChannel(runAsync);
            var hello = await HandshakeAsync(connection, channel, speculation, cancellationToken).ConfigureAwait(false);
            connection.Description = hello;
            Report(server, ConnectionStep.Hello, watch,
                $"maxWireVersion {hello.MaxWireVersion}, writable primary {hello.IsWritablePrimary}, speculative auth {(hello.SpeculativeAuthenticate is null ? "not answered" : "answered")}");

            if (authenticator is not null)
            {
                try
                {
                    connection.AuthenticatedWith = await authenticator.AuthenticateAsync(
                        channel, context, speculation, hello.SaslSupportedMechs, hello.SpeculativeAuthenticate, cancellationToken).ConfigureAwait(false);
                }
                catch (MongoConnectionException e) when (!e.DuringAuthentication)
                {
                    // A network failure during auth (unlike one during connect or hello) clears the pool (SDAM). The
                    // authentication steps already say so, with the step, mechanism, user and source.
                    throw new MongoConnectionException(e.Message, e) { Server = server, DuringAuthentication = true };
                }
                Report(server, ConnectionStep.Authentication, watch, $"{connection.AuthenticatedWith.Name} as '{settings.Credential?.Username}' on '{connection.AuthenticatedWith.Source}'");
            }
            return connection;
        }
        catch
        {
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

    private async Task<HelloResult> HandshakeAsync(Connection connection, ICommandChannel channel, SpeculativeAuthentication speculation, CancellationToken cancellationToken)
    {
        var command = settings.LoadBalanced
            ? new BsonDocument { { "hello", 1 }, { "loadBalanced", true } }
            : new BsonDocument { { "isMaster", 1 }, { "helloOk", true } };
        command["client"] = _metadata;
        command["backpressure"] = "2";
        if (speculation.SaslSupportedMechs is { } mechs)
        {
            command["saslSupportedMechs"] = mechs;
        }
        if (speculation.Document is { } speculative)
        {
            command["speculativeAuthenticate"] = speculative;
        }
        BsonDocument reply;
        try
        {
            reply = await channel.RunCommandAsync("admin", command, cancellationToken).ConfigureAwait(false);
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
        return HelloResult.Parse(reply, connection.Server);
    }

    private async Task<Stream> ConnectTcpAsync(MongoServerAddress server, bool runAsync, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (settings.ConnectTimeout != Timeout.InfiniteTimeSpan && settings.ConnectTimeout > TimeSpan.Zero)
        {
            timeout.CancelAfter(settings.ConnectTimeout);
        }
        Socket? socket = null;
        try
        {
            if (server.Kind == MongoHostKind.UnixSocket)
            {
                socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await Complete(socket.ConnectAsync(new UnixDomainSocketEndPoint(server.Host), timeout.Token), runAsync).ConfigureAwait(false);
            }
            else
            {
                socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await Complete(socket.ConnectAsync(server.Host, server.Port, timeout.Token), runAsync).ConfigureAwait(false);
            }
            var stream = new NetworkStream(socket, ownsSocket: true);
            socket = null;
            return stream;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MongoConnectionException($"Could not connect to {server} within connectTimeoutMS ({settings.ConnectTimeout.TotalMilliseconds} ms).") { Server = server };
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

    private async Task<Stream> AuthenticateTlsAsync(TlsClientOptions tls, MongoServerAddress server, Stream stream, bool runAsync, CancellationToken cancellationToken)
    {
        var options = tls.Create(server.Host, out var validator);
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (settings.ConnectTimeout != Timeout.InfiniteTimeSpan && settings.ConnectTimeout > TimeSpan.Zero)
        {
            timeout.CancelAfter(settings.ConnectTimeout);
        }
        try
        {
            if (runAsync)
            {
                await ssl.AuthenticateAsClientAsync(options, timeout.Token).ConfigureAwait(false);
            }
            else
            {
                // The synchronous handshake cannot be cancelled; the socket's read timeout bounds it instead.
                stream.ReadTimeout = settings.ConnectTimeout > TimeSpan.Zero && settings.ConnectTimeout != Timeout.InfiniteTimeSpan
                    ? (int)Math.Min(int.MaxValue, settings.ConnectTimeout.TotalMilliseconds)
                    : Timeout.Infinite;
                ssl.AuthenticateAsClient(options);
                stream.ReadTimeout = Timeout.Infinite;
            }
            return ssl;
        }
        catch (Exception e) when (e is AuthenticationException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var reason = e is OperationCanceledException ? $"it did not finish within connectTimeoutMS ({settings.ConnectTimeout.TotalMilliseconds} ms)."
                : validator.Failure?.Message ?? (ClientCertificateRefusal.IsLikely(e, tls.HasClientCertificate) ? $"{e.Message} {TlsClientOptions.ClientCertificateRefusedHint}" : e.Message);
            throw new MongoConnectionException($"The TLS handshake with {server} failed: {reason}", e) { Server = server };
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Waits for a socket connect. The synchronous path blocks here: the framework has no synchronous connect that
    /// honours a timeout or a cancellation token.
    /// </summary>
    private static ValueTask Complete(ValueTask connect, bool runAsync)
    {
        if (!runAsync)
        {
            connect.AsTask().GetAwaiter().GetResult();
            return ValueTask.CompletedTask;
        }
        return connect;
    }

    private void Report(MongoServerAddress server, ConnectionStep step, Stopwatch watch, string detail)
    {
        observer?.OnStepCompleted(server, step, watch.Elapsed, detail);
        watch.Restart();
    }
}
