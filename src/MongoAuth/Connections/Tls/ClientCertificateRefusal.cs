using System.Net.Sockets;
using System.Security.Authentication;

namespace MongoAuth.Connections.Tls;

/// <summary>
/// Decides whether a failed TLS handshake or hello points to the server refusing the client certificate, so that
/// <see cref="TlsClientOptions.ClientCertificateRefusedHint"/> is added only when the evidence is there: a client
/// certificate was sent and the server closed or reset the connection, or answered with a certificate alert. A
/// timeout, a cancellation or any other TLS failure gets no such hint.
/// </summary>
internal static class ClientCertificateRefusal
{
    // RFC 8446 section 6.2 / RFC 5246 section 7.2.2 alerts a server sends about the client's certificate, as .NET names
    // them in AuthenticationException messages ("the remote party sent a TLS alert: 'BadCertificate'").
    private static readonly string[] CertificateAlerts =
    [
        "BadCertificate", "UnsupportedCert", "CertificateRevoked", "CertificateExpired", "CertificateUnknown", "UnknownCA",
        "AccessDenied", "CertificateRequired",
    ];

    /// <summary>Whether <paramref name="failure"/> (the exception of the TLS handshake or of hello) points to a refused
    /// client certificate, given that one was sent.</summary>
    public static bool IsLikely(Exception failure, bool sentClientCertificate)
    {
        if (!sentClientCertificate || IsTimeout(failure))
        {
            return false;
        }

        for (var e = failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AuthenticationException when CertificateAlerts.Any(a => e.Message.Contains(a, StringComparison.OrdinalIgnoreCase)):
                case SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown }:
                    return true;
                case IOException:
                    // End of stream, "Received an unexpected EOF or 0 bytes from the transport stream", a reset: the
                    // server closed the connection (timeouts were excluded above).
                    return true;
            }
        }

        return false;
    }

    /// <summary>Whether the failure is a time limit or a cancellation rather than anything the server said.</summary>
    public static bool IsTimeout(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is OperationCanceledException or TimeoutException or MongoOperationTimeoutException or SocketException { SocketErrorCode: SocketError.TimedOut })
            {
                return true;
            }
        }

        return false;
    }
}
