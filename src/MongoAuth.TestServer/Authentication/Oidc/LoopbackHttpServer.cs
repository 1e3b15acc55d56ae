using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MongoAuth.TestServer.Authentication.Oidc;

/// <summary>A request as <see cref="LoopbackHttpServer"/> received it.</summary>
/// <param name="Method">GET, POST, …</param>
/// <param name="Target">The request target (path and query) as sent.</param>
/// <param name="Headers">The headers (names compared case-insensitively; the last value of a repeated header).</param>
/// <param name="Body">The body as UTF-8 text.</param>
public sealed record LoopbackHttpRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The path without the query.</summary>
    public string Path => Target.Split('?', 2)[0];

    /// <summary>The decoded query parameters.</summary>
    public IReadOnlyDictionary<string, string> Query =>
        (Target.Split('?', 2) is [_, var query] ? query : string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split('=', 2))
        .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty, StringComparer.Ordinal);
}

/// <summary>What <see cref="LoopbackHttpServer"/> answers.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Body">The body.</param>
/// <param name="ContentType">The content type.</param>
/// <param name="Headers">Extra response headers.</param>
public sealed record LoopbackHttpResponse(int Status, string Body, string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (one request per connection, Content-Length bodies): the in-process OIDC
/// issuer's discovery and key set, and the fake cloud metadata endpoints of the tests. It records every request so a
/// test can assert the headers and query a client sent.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<LoopbackHttpRequest, LoopbackHttpResponse> _handler;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    /// <summary>Starts listening on a free loopback port.</summary>
    /// <param name="handler">Answers each request.</param>
    public LoopbackHttpServer(Func<LoopbackHttpRequest, LoopbackHttpResponse> handler)
    {
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    /// <summary>The port.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The base URL, <c>http://127.0.0.1:port</c>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The requests received so far, in order.</summary>
    public ConcurrentQueue<LoopbackHttpRequest> Requests { get; } = new();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream, _stopping.Token).ConfigureAwait(false);
                if (request is null)
                {
                    return;
                }
                Requests.Enqueue(request);
                LoopbackHttpResponse response;
                try
                {
                    response = _handler(request);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    response = new LoopbackHttpResponse(500, e.Message, "text/plain");
                }
                var body = Encoding.UTF8.GetBytes(response.Body);
                var head = new StringBuilder($"HTTP/1.1 {response.Status} {(response.Status == 200 ? "OK" : "Error")}\r\n")
                    .Append($"Content-Type: {response.ContentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n");
                foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
                {
                    head.Append($"{name}: {value}\r\n");
                }
                head.Append("\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stopping.Token).ConfigureAwait(false);
                await stream.WriteAsync(body, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // The client went away or the server is stopping.
            }
        }
    }

    private static async Task<LoopbackHttpRequest?> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(buffer)) < 0)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0 || buffer.Count > 64 * 1024)
            {
                return null;
            }
            buffer.AddRange(chunk.AsSpan(0, read));
        }
        var lines = Encoding.ASCII.GetString(buffer.GetRange(0, headerEnd).ToArray()).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
        var length = headers.TryGetValue("Content-Length", out var text) && int.TryParse(text, out var n) ? n : 0;
        var body = buffer.Skip(headerEnd + 4).ToList();
        while (body.Count < length)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }
            body.AddRange(chunk.AsSpan(0, read));
        }
        return new LoopbackHttpRequest(requestLine[0], requestLine.Length > 1 ? requestLine[1] : "/", headers, Encoding.UTF8.GetString(body.ToArray()));
    }

    private static int IndexOfHeaderEnd(List<byte> buffer)
    {
        for (var i = 3; i < buffer.Count; i++)
        {
            if (buffer[i - 3] == '\r' && buffer[i - 2] == '\n' && buffer[i - 1] == '\r' && buffer[i] == '\n')
            {
                return i - 3;
            }
        }
        return -1;
    }
}
