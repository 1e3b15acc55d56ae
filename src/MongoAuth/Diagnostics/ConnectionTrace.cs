using System.Diagnostics;
using System.Net.Security;
using Microsoft.Extensions.Logging;

namespace MongoAuth.Diagnostics;

/// <summary>
/// What opening one connection tells the outside: a CLIENT span <c>connect</c> (child of the operation that needed the
/// connection) with the TLS handshake, hello and authentication as events; the <c>db.client.connection.create_time</c>
/// histogram; and the connection and authentication logs. The connection factory calls it at each step, in order.
/// </summary>
internal sealed class ConnectionTrace
{
    private readonly ILogger _logger;
    private readonly Activity? _activity;
    private readonly MongoServerAddress _server;
    private readonly long _connectionId;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _authenticationStarted;
    private string _tlsProtocol = "none";
    private string _tlsCipher = string.Empty;
    private string _mechanism = "none";

    // As the failure messages say it (X.509 and GSSAPI may leave the user name to the certificate or ticket).
    private const string NoUser = "(no user name)";

    /// <summary>What authentication was under way when opening failed; <paramref name="Step"/> is where, unless the
    /// failure names its own step.</summary>
    public readonly record struct Authentication(string Mechanism, string? User, string Source, bool Speculative, string Step);

    private ConnectionTrace(ILogger logger, MongoServerAddress server, long connectionId)
    {
        _logger = logger;
        _server = server;
        _connectionId = connectionId;
        _activity = Instruments.Source.StartActivity("connect", ActivityKind.Client);
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.SetTag(SemanticConventions.DbSystemName, SemanticConventions.DbSystemMongoDb);
            _activity.SetTag(SemanticConventions.ServerAddress, server.Host);
            if (server.Kind != MongoHostKind.UnixSocket)
            {
                _activity.SetTag(SemanticConventions.ServerPort, server.Port);
            }
            _activity.SetTag(SemanticConventions.NetworkTransport, server.Kind == MongoHostKind.UnixSocket ? "unix" : "tcp");
            _activity.SetTag(SemanticConventions.ConnectionId, connectionId);
        }
    }

    /// <summary>Starts tracing the opening of connection <paramref name="connectionId"/>; becomes <see cref="Activity.Current"/>.</summary>
    public static ConnectionTrace Start(ILogger logger, MongoServerAddress server, long connectionId) => new(logger, server, connectionId);

    public void TlsEstablished(SslStream ssl)
    {
        (_tlsProtocol, _tlsCipher) = (ProtocolVersion(ssl), ssl.NegotiatedCipherSuite.ToString());
        _activity?.AddEvent(new ActivityEvent("tls.handshake", tags: new ActivityTagsCollection
        {
            [SemanticConventions.TlsProtocolName] = "tls",
            [SemanticConventions.TlsProtocolVersion] = _tlsProtocol,
            [SemanticConventions.TlsCipher] = _tlsCipher,
        }));
    }

    public void HelloAnswered(int maxWireVersion) =>
        _activity?.AddEvent(new ActivityEvent("hello", tags: new ActivityTagsCollection { ["mongoauth.max_wire_version"] = maxWireVersion }));

    /// <summary>Authentication starts now (it spans hello, which may carry its first step).</summary>
    public void AuthenticationStarting(string mechanism)
    {
        _authenticationStarted = Stopwatch.GetTimestamp();
        _mechanism = mechanism;
    }

    public void Authenticated(string mechanism, string? user, string source, bool speculative)
    {
        _mechanism = mechanism;
        _activity?.AddEvent(new ActivityEvent("authenticated", tags: new ActivityTagsCollection
        {
            [SemanticConventions.AuthMechanism] = mechanism,
            [SemanticConventions.AuthSource] = source,
            [SemanticConventions.AuthSpeculative] = speculative,
        }));
        Log.AuthenticationSucceeded(_logger, _connectionId, _server.ToString(), mechanism, user ?? NoUser, source, speculative,
            Stopwatch.GetElapsedTime(_authenticationStarted).TotalMilliseconds);
    }

    /// <summary>The connection is ready: ends the span, records the create time, logs it.</summary>
    public void Ready()
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        if (Instruments.ConnectionCreateTime.Enabled)
        {
            Instruments.ConnectionCreateTime.Record(elapsed.TotalSeconds, new TagList
            {
                { SemanticConventions.ConnectionPoolName, Instruments.PoolName(_server) },
                { SemanticConventions.DbSystemName, SemanticConventions.DbSystemMongoDb },
            });
        }
        Log.ConnectionEstablished(_logger, _connectionId, _server.ToString(), elapsed.TotalMilliseconds, _tlsProtocol, _tlsCipher, _mechanism);
        _activity?.Dispose();
    }

    /// <summary>
    /// Opening failed. When authentication had started, <paramref name="authentication"/> says with what (the
    /// failure's own mechanism, source and step win when it names them).
    /// </summary>
    public void Failed(Exception e, Authentication? authentication)
    {
        var errorType = Instruments.ErrorType(e);
        if (_activity is not null)
        {
            _activity.SetTag(SemanticConventions.ErrorType, errorType);
            _activity.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
        }
        if (authentication is { } auth)
        {
            var failure = e as MongoAuthenticationException;
            var mechanism = failure?.Mechanism ?? auth.Mechanism;
            var source = failure?.AuthSource ?? auth.Source;
            var step = failure?.Step ?? auth.Step;
            _activity?.AddEvent(new ActivityEvent("authentication failed", tags: new ActivityTagsCollection
            {
                [SemanticConventions.AuthMechanism] = mechanism,
                [SemanticConventions.AuthSource] = source,
                [SemanticConventions.AuthSpeculative] = auth.Speculative,
                [SemanticConventions.AuthStep] = step,
                [SemanticConventions.ErrorType] = errorType,
            }));
            Log.AuthenticationFailed(_logger, _connectionId, _server.ToString(), mechanism, failure?.Username ?? auth.User ?? NoUser, source, step,
                auth.Speculative, failure?.ServerErrorCode, Stopwatch.GetElapsedTime(_authenticationStarted).TotalMilliseconds, e.Message);
        }
        else
        {
            Log.ConnectionOpenFailed(_logger, _connectionId, _server.ToString(), Stopwatch.GetElapsedTime(_started).TotalMilliseconds, e.Message);
        }
        _activity?.Dispose();
    }

    // The conventions' tls.protocol.version is the bare number ("1.2", "1.3").
    private static string ProtocolVersion(SslStream ssl) => ssl.SslProtocol switch
    {
        System.Security.Authentication.SslProtocols.Tls13 => "1.3",
        System.Security.Authentication.SslProtocols.Tls12 => "1.2",
#pragma warning disable SYSLIB0039 // Naming an old protocol a server negotiated is not using it.
        System.Security.Authentication.SslProtocols.Tls11 => "1.1",
        System.Security.Authentication.SslProtocols.Tls => "1.0",
#pragma warning restore SYSLIB0039
        var other => other.ToString(),
    };
}
