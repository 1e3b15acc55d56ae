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
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            if (server.TlsCertificateContext is { } certificate)
            {
                stream = await AuthenticateTlsAsync(stream, certificate, cancellationToken).ConfigureAwait(false);
            }

            while (await ServerWire.ReadAsync(stream, cancellationToken).ConfigureAwait(false) is { } request)
            {
                var reply = await CommandDispatcher.DispatchAsync(server, _session, request, cancellationToken)
                    .ConfigureAwait(false);
                if (reply is null)
                {
                    reason = $"fail point on {request.Name}";
                    break;
                }

                if (!request.MoreToCome)
                {
                    var bytes = ServerWire.EncodeReply(request, server.NextRequestId(), reply);
                    await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
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

    private async Task<Stream> AuthenticateTlsAsync(Stream inner, SslStreamCertificateContext certificate,
        CancellationToken cancellationToken)
    {
        var mode = server.Options.ClientCertificates;
        var tls = new SslStream(inner, leaveInnerStreamOpen: false);
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
        server.Statistics.OnTlsHandshake(tls.TargetHostName);
        if (tls.RemoteCertificate is { } peer)
        {
            _session.ClientCertificate = X509CertificateLoader.LoadCertificate(peer.GetRawCertData());
        }

        return tls;
    }
}
