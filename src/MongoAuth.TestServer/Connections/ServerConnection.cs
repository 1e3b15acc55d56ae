using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.TestServer.Commands;
using MongoAuth.TestServer.Protocol;
using MongoAuth.TestServer.Tls;

namespace MongoAuth.TestServer.Connections;

/// <summary>
/// One accepted connection: optional TLS handshake, then read a request, dispatch it, write the reply, until the
/// client leaves, a fail point closes it, the input is malformed, or the server stops. Never throws.
/// </summary>
internal sealed class ServerConnection(MongoTestServer server, Socket socket, long connectionId)
{
    private readonly ConnectionSession _session = new(connectionId, socket.RemoteEndPoint);

    public long ConnectionId => connectionId;

    /// <summary>Closes the socket, ending a pending read.</summary>
    public void Abort() => socket.Dispose();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reason = "client closed the connection";
        if (!socket.Connected)
        {
            // Aborted (the server is stopping) or closed by the client before this connection ran: nothing to serve,
            // and NetworkStream refuses a socket that is not connected.
            socket.Dispose();
            ServerLog.Closed(server.Logger, connectionId, reason);
            return;
        }

        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            if (server.TlsCertificateContext is { } certificate)
            {
                stream = await AuthenticateTlsAsync(stream, certificate, cancellationToken).ConfigureAwait(false);
            }

            while (await ServerWire.ReadAsync(stream, cancellationToken, server.Options.MaxMessageSizeBytes).ConfigureAwait(false) is { } request)
            {
                var reply = await CommandDispatcher.DispatchAsync(server, _session, request, cancellationToken)
                    .ConfigureAwait(false);
                if (reply is null)
                {
                    reason = $"fail point on {request.Name}";
                    break;
                }

                if (request.MoreToCome)
                {
                    continue;
                }

                var exhaust = request.ExhaustAllowed && IsOk(reply) && request.Name is "hello" or "isMaster" or "ismaster" &&
                    HelloCommand.IsAwaitable(request.Command);
                var replyId = server.NextRequestId();
                await WriteAsync(stream, ServerWire.EncodeReply(request, replyId, reply, moreToCome: exhaust), cancellationToken)
                    .ConfigureAwait(false);
                if (exhaust)
                {
                    reason = await StreamHelloAsync(stream, request, replyId, cancellationToken).ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reason = "server stopping";
        }
        catch (Exception e)
        {
            // Malformed input, TLS failures and resets close this connection only; the listener goes on.
            reason = e is MongoException or AuthenticationException ? $"{e.GetType().Name}: {e.Message}" : e.GetType().Name;
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            _session.ClientCertificate?.Dispose();
            ServerLog.Closed(server.Logger, connectionId, reason);
        }
    }

    private static bool IsOk(MongoDB.Bson.BsonDocument reply) => reply.GetValue("ok", 0).ToDouble() == 1.0;

    private static async Task WriteAsync(Stream stream, byte[] bytes, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The exhaust form of an awaitable hello (OP_MSG exhaustAllowed): mongod keeps answering the same hello, each
    /// reply flagged moreToCome and answering the previous reply, every maxAwaitTimeMS, until the client closes the
    /// connection (it sends nothing more on it). Returns why the stream ended.
    /// </summary>
    private async Task<string> StreamHelloAsync(Stream stream, ServerRequest request, int previousReplyId,
        CancellationToken cancellationToken)
    {
        server.Statistics.OnExhaustStream();
        using var clientGone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = WatchForCloseAsync(stream, clientGone);
        try
        {
            while (true)
            {
                var reply = await CommandDispatcher.DispatchAsync(server, _session, request, clientGone.Token).ConfigureAwait(false);
                if (reply is null)
                {
                    return $"fail point on {request.Name}";
                }

                var ok = IsOk(reply);
                var replyId = server.NextRequestId();
                await WriteAsync(stream, ServerWire.EncodeReply(request with { RequestId = previousReplyId }, replyId, reply, moreToCome: ok),
                    clientGone.Token).ConfigureAwait(false);
                if (!ok)
                {
                    return $"exhaust {request.Name} failed";
                }

                previousReplyId = replyId;
            }
        }
        catch (OperationCanceledException) when (clientGone.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return "client ended the exhaust stream";
        }
        finally
        {
            await clientGone.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// During an exhaust stream the client only reads; a read that completes means it closed the connection (or broke
    /// the protocol), and either way the stream ends.
    /// </summary>
    private static async Task WatchForCloseAsync(Stream stream, CancellationTokenSource clientGone)
    {
        try
        {
            _ = await stream.ReadAsync(new byte[1], clientGone.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }

        if (!clientGone.IsCancellationRequested)
        {
            await clientGone.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task<Stream> AuthenticateTlsAsync(Stream inner, SslStreamCertificateContext certificate,
        CancellationToken cancellationToken)
    {
        var mode = server.Options.ClientCertificates;
        var watcher = new TlsResumptionWatcher(inner);
        var tls = new SslStream(watcher, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = certificate,
                EnabledSslProtocols = server.Options.TlsProtocols,
                ClientCertificateRequired = mode != ClientCertificateMode.None,
                // A resumed TLS session carries no client certificate, and X.509 authentication needs one.
                AllowTlsResume = mode == ClientCertificateMode.None,
                RemoteCertificateValidationCallback = (_, peer, chain, errors) => ClientCertificateValidator.IsAcceptable(
                    mode, server.Options.ClientCertificateTrust, server.Options.ClientCertificateRevocationLists, peer, chain, errors),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _session.IsTls = true;
        server.Statistics.OnTlsHandshake(tls.TargetHostName, watcher.Resumed == true);
        if (tls.RemoteCertificate is { } peer)
        {
            _session.ClientCertificate = X509CertificateLoader.LoadCertificate(peer.GetRawCertData());
        }

        return tls;
    }
}
