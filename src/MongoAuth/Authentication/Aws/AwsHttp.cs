using System.Net;
using MongoAuth.Operations;

namespace MongoAuth.Authentication.Aws;

/// <summary>
/// The HTTP client of the built-in credential sources (STS, ECS, EC2 instance metadata), and the only seam tests have
/// into them: the URLs stay the fixed ones the specification names, and tests hand in a handler that maps those hosts
/// to loopback fakes. There is deliberately no public endpoint setting, which would let whoever sets it redirect
/// credential requests. Requests go direct (never through a proxy), follow no redirects, and each waits at most
/// <see cref="ReadTimeout"/> (the specification's 10 seconds for ECS and EC2) or the operation's deadline.
/// </summary>
internal sealed class AwsHttp
{
    /// <summary>How long one request may take.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    // Credential replies are a few hundred bytes; a bound keeps a broken endpoint from filling memory.
    private const int MaxReplyBytes = 64 * 1024;

    private readonly HttpClient _client;

    /// <summary>Sends through <paramref name="handler"/> (not disposed with this instance).</summary>
    public AwsHttp(HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _client = new HttpClient(handler, disposeHandler: false)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxReplyBytes,
        };
    }

    /// <summary>The production client: direct connections, no redirects.</summary>
    public static AwsHttp Default { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        ConnectTimeout = ReadTimeout,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    });

    /// <summary>
    /// Sends <paramref name="request"/> synchronously or not as <paramref name="operation"/> says and returns the status
    /// and body. Throws <see cref="AwsSourceException"/> when there is no reply (refused, reset, no answer within
    /// <see cref="ReadTimeout"/>); the operation's own cancellation or deadline propagates as
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpRequestMessage request, OperationContext operation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(operation.CancellationToken);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            using var response = operation.IsAsync
                ? await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false)
                : _client.Send(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            string body;
            if (operation.IsAsync)
            {
                body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            }
            else
            {
                using var reader = new StreamReader(response.Content.ReadAsStream(timeout.Token));
                body = reader.ReadToEnd();
            }

            return (response.StatusCode, body);
        }
        catch (OperationCanceledException) when (operation.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e)
        {
            throw new AwsSourceException($"{Describe(request)} did not answer within {ReadTimeout.TotalSeconds:0} s", e);
        }
        catch (HttpRequestException e)
        {
            throw new AwsSourceException($"{Describe(request)} failed: {Innermost(e).Message.TrimEnd('.')}", e);
        }
    }

    /// <summary>The method and URL without its query (which may hold a web identity token).</summary>
    private static string Describe(HttpRequestMessage request) =>
        $"{request.Method} {request.RequestUri?.GetLeftPart(UriPartial.Path)}";

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}
