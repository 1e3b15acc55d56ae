using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MongoAuth.Tests.Aws;

/// <summary>A request the fake saw: method, target (path and query), headers (lower-case names) and body.</summary>
internal sealed record FakeHttpRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Path => Target.Split('?', 2)[0];

    public string? Query(string name) => Target.Split('?', 2) is [_, var query]
        ? query.Split('&').Select(p => p.Split('=', 2)).Where(p => p[0] == name).Select(p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : "")).FirstOrDefault()
        : null;

    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());
}

/// <summary>What the fake answers.</summary>
internal sealed record FakeHttpResponse(int Status, string Body, string ContentType = "application/json")
{
    /// <summary>More response headers (Google's metadata server marks its answers with <c>Metadata-Flavor: Google</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public static FakeHttpResponse Json(string body) => new(200, body);
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (one request per connection, then close), optionally over TLS, that stands in
/// for STS, the ECS credential endpoint and EC2 instance metadata. It records every request.
/// </summary>
internal sealed class FakeHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<FakeHttpRequest, FakeHttpResponse> _handler;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private FakeHttpServer(Func<FakeHttpRequest, FakeHttpResponse> handler, X509Certificate2? certificate)
    {
        _handler = handler;
        _certificate = certificate;
        _listener.Start();
        _loop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<FakeHttpRequest> Requests { get; } = new();

    public static FakeHttpServer Start(Func<FakeHttpRequest, FakeHttpResponse> handler, X509Certificate2? certificate = null) => new(handler, certificate);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        try
        {
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (_certificate is not null)
            {
                var tls = new SslStream(stream);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                stream = tls;
            }

            await using (stream)
            {
                var request = await ReadAsync(stream);
                Requests.Enqueue(request);
                var response = _handler(request);
                var body = Encoding.UTF8.GetBytes(response.Body);
                var head = string.Create(CultureInfo.InvariantCulture,
                    $"HTTP/1.1 {response.Status} {(response.Status == 200 ? "OK" : "Error")}\r\nContent-Type: {response.ContentType}\r\nContent-Length: {body.Length}\r\n{string.Concat(response.Headers.Select(h => $"{h.Key}: {h.Value}\r\n"))}Connection: close\r\n\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                await stream.WriteAsync(body, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            // A client that gave up (refused certificate, timeout test): nothing to answer.
        }
    }

    private async Task<FakeHttpRequest> ReadAsync(Stream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 4 || !(buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                throw new IOException("closed before the headers ended");
            }

            buffer.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString([.. buffer]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var start = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var length = headers.TryGetValue("content-length", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, _stop.Token);
        return new FakeHttpRequest(start[0], start[1], headers, Encoding.UTF8.GetString(body));
    }
}
