using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MongoAuth.TestServer.Pki;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 that serves CRLs, so revocation checks of generated certificates run
/// the platform's real CRL download path. Answers <c>GET /name.crl</c> and closes each connection.
/// </summary>
public sealed class CrlDistributionPoint : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<string, byte[]> _crls = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    /// <summary>Starts listening on an ephemeral loopback port.</summary>
    public CrlDistributionPoint()
    {
        _listener.Start();
        _accepting = AcceptAsync(_stop.Token);
    }

    /// <summary>How many CRLs were served (lets tests see that a check went online).</summary>
    public int Downloads => _downloads;

    private int _downloads;

    /// <summary>The URI a certificate names in its CRL distribution point for <paramref name="name"/>.</summary>
    public string UriFor(string name) => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/{name}.crl";

    /// <summary>Serves <paramref name="crl"/> (DER) as <c>/name.crl</c> from now on.</summary>
    public void Publish(string name, byte[] crl) => _crls[$"/{name}.crl"] = crl;

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _accepting.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            _ = ServeAsync(client, cancellationToken);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
                var requestLine = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? "";
                while (!string.IsNullOrEmpty(await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)))
                {
                }

                var path = requestLine.Split(' ') is [_, var target, ..] ? target : "";
                var found = _crls.TryGetValue(path, out var body);
                if (found)
                {
                    Interlocked.Increment(ref _downloads);
                }

                body ??= [];
                var header = $"HTTP/1.1 {(found ? "200 OK" : "404 Not Found")}\r\nContent-Type: application/pkix-crl\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(header), cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The client went away or we are stopping; nothing to answer.
            }
        }
    }
}
