namespace MongoAuth.Authentication.Oidc;

/// <summary>
/// What the built-in environments read from the machine: environment variables, files, HTTP and the clock. Production
/// uses the process's own; tests pass fakes (via <c>InternalsVisibleTo</c>) so that the test process's environment is
/// never changed and HTTP reaches only loopback fakes. There is deliberately no public endpoint setting: whoever could
/// set one could redirect token requests (the spec's IMDS and metadata URLs are constants).
/// </summary>
internal sealed class OidcHost
{
    private readonly Lazy<HttpClient> _http;

    public OidcHost(HttpMessageHandler? handler = null)
    {
        _http = new Lazy<HttpClient>(() => new HttpClient(
            handler ?? new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(10) },
            disposeHandler: handler is null) { Timeout = System.Threading.Timeout.InfiniteTimeSpan });
    }

    /// <summary>The process's environment, files and network.</summary>
    public static OidcHost Default { get; } = new();

    /// <summary>Reads an environment variable (null when unset or empty).</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = name => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    /// <summary>Whether a file exists.</summary>
    public Func<string, bool> FileExists { get; init; } = File.Exists;

    /// <summary>Reads a whole file as UTF-8 text.</summary>
    public Func<string, string> ReadAllText { get; init; } = File.ReadAllText;

    /// <summary>The clock token expiries are computed with.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The HTTP client of the azure and gcp environments (no proxy, no overall timeout: each request is cancelled at the callback's timeout).</summary>
    public HttpClient Http => _http.Value;
}
