using MongoAuth.Authentication;
using MongoAuth.ConnectionStrings;
using Microsoft.Extensions.Logging;

namespace MongoAuth;

/// <summary>
/// Immutable client settings: every connection-string option plus what can be given only from code
/// (callbacks, certificates, custom mechanisms, logging, DNS). Build one with
/// <c>FromConnectionString</c>, with an object initializer, or both
/// (<c>MongoClientSettings.FromConnectionString(uri) with { MaxPoolSize = 10 }</c>). Validated once, when the
/// client is built. <see cref="ToString"/> redacts every secret.
/// </summary>
public sealed partial record MongoClientSettings
{
    // ---- Servers and topology -----------------------------------------------------------------

    /// <summary>The seed list (after SRV resolution for <c>mongodb+srv</c>). Default: localhost:27017.</summary>
    public IReadOnlyList<MongoServerAddress> Servers { get; init; } = [new MongoServerAddress("localhost")];

    /// <summary>Whether the settings came from a <c>mongodb+srv</c> string (SRV host in <see cref="SrvHost"/>).</summary>
    public bool UsesSrv { get; init; }

    /// <summary>The SRV host name of a <c>mongodb+srv</c> string, before resolution; null otherwise.</summary>
    public string? SrvHost { get; init; }

    /// <summary><c>srvMaxHosts</c>: how many SRV targets to use at most (0 = all).</summary>
    public int SrvMaxHosts { get; init; }

    /// <summary><c>srvServiceName</c>: the SRV service name. Default "mongodb".</summary>
    public string SrvServiceName { get; init; } = "mongodb";

    /// <summary><c>directConnection</c>: connect to the one given host only; null = not set.</summary>
    public bool? DirectConnection { get; init; }

    /// <summary>
    /// <c>loadBalanced</c>: the deployment sits behind a load balancer; null = not set (false), which lets an SRV
    /// TXT record set it, while an explicit false (in code or in the string) wins over TXT.
    /// </summary>
    public bool? LoadBalanced { get; init; }

    /// <summary>
    /// The Stable API version to declare on every command (<see cref="MongoAuth.ServerApi"/>); null declares none.
    /// Code only: the connection string has no option for it.
    /// </summary>
    public ServerApi? ServerApi { get; init; }

    /// <summary><c>replicaSet</c>: the replica set name; null = none.</summary>
    public string? ReplicaSetName { get; init; }

    /// <summary>The default database from the connection-string path; null = none.</summary>
    public string? DefaultDatabase { get; init; }

    // ---- Authentication -------------------------------------------------------------------------

    /// <summary>The credential; null = no authentication.</summary>
    public MongoCredential? Credential { get; init; }

    /// <summary>The mechanisms this client can use: <see cref="MechanismRegistry.Default"/> (the built-ins) unless
    /// replaced. The registry is immutable, so the one a client is built with never changes; add your own with
    /// <c>settings with { Mechanisms = settings.Mechanisms.WithMechanism(...) }</c>.</summary>
    public MechanismRegistry Mechanisms { get; init; } = MechanismRegistry.Default;

    // ---- Application and compression ----------------------------------------------------------

    /// <summary><c>appname</c>: sent in the handshake metadata; at most 128 bytes of UTF-8.</summary>
    public string? ApplicationName { get; init; }

    /// <summary><c>compressors</c>: in order of preference (snappy, zlib, zstd). Parsed only for now.</summary>
    public IReadOnlyList<string> Compressors { get; init; } = [];

    /// <summary><c>zlibCompressionLevel</c>: -1 (default) to 9. Parsed only for now.</summary>
    public int ZlibCompressionLevel { get; init; } = -1;

    // ---- Timeouts ---------------------------------------------------------------------------------

    /// <summary>
    /// <c>connectTimeoutMS</c>: limit on opening one connection as a whole (DNS, TCP, TLS, hello, authentication);
    /// <see cref="Timeout.InfiniteTimeSpan"/> = none. Default 10 s.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>socketTimeoutMS</c>: limit on each command's I/O (ignored when <see cref="Timeout"/> is set); null = none.</summary>
    public TimeSpan? SocketTimeout { get; init; }

    /// <summary><c>serverSelectionTimeoutMS</c>: how long to look for a usable server. Default 30 s.</summary>
    public TimeSpan ServerSelectionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>heartbeatFrequencyMS</c>: at least 500 ms. Default 10 s. Parsed only for now.</summary>
    public TimeSpan HeartbeatFrequency { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>localThresholdMS</c>: latency window for server selection. Default 15 ms. Parsed only for now.</summary>
    public TimeSpan LocalThreshold { get; init; } = TimeSpan.FromMilliseconds(15);

    /// <summary>
    /// <c>timeoutMS</c>: limit on a whole operation (selection, pool wait, connection establishment, reauthentication and
    /// retry, reply), also sent as <c>maxTimeMS</c>; null = not set, zero = no limit.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    // ---- Reads, writes, retries, monitoring ---------------------------------------------------

    /// <summary><c>journal</c>: sent as the write concern's <c>j</c> on every write (see <see cref="WriteConcern"/>).</summary>
    public bool? Journal { get; init; }

    /// <summary><c>w</c>: a number or a tag/"majority"; the write concern's <c>w</c> on every write (see <see cref="WriteConcern"/>).</summary>
    public string? W { get; init; }

    /// <summary><c>wTimeoutMS</c>: the write concern's <c>wtimeout</c> on every write (see <see cref="WriteConcern"/>).</summary>
    public TimeSpan? WTimeout { get; init; }

    /// <summary><c>readConcernLevel</c>: any string. Parsed only for now.</summary>
    public string? ReadConcernLevel { get; init; }

    /// <summary>
    /// Where reads go: <c>readPreference</c> (mode), <c>readPreferenceTags</c> (tag sets in order) and
    /// <c>maxStalenessSeconds</c> (-1 = none, otherwise at least 90 s). Primary by default. docs/topology.md.
    /// </summary>
    public Topology.ReadPreference ReadPreference { get; init; } = Topology.ReadPreference.Primary;

    /// <summary><c>retryReads</c>: a read that fails with a network or "not primary"/"recovering" error is run once more. Default true.</summary>
    public bool RetryReads { get; init; } = true;

    /// <summary><c>retryWrites</c>. Default true: an acknowledged single-statement write carries a <c>txnNumber</c> where the server accepts one and, after a retryable error, is sent once more with the same <c>txnNumber</c>.</summary>
    public bool RetryWrites { get; init; } = true;

    /// <summary><c>serverMonitoringMode</c>: stream, poll or auto (default). Parsed only for now.</summary>
    public string ServerMonitoringMode { get; init; } = "auto";

    /// <summary><c>serverSelectionTryOnce</c>. Default true. Parsed only for now.</summary>
    public bool ServerSelectionTryOnce { get; init; } = true;

    /// <summary><c>maxAdaptiveRetries</c>: at least 0. Default 2. Parsed only for now.</summary>
    public int MaxAdaptiveRetries { get; init; } = 2;

    /// <summary><c>enableOverloadRetargeting</c>. Default false. Parsed only for now.</summary>
    public bool EnableOverloadRetargeting { get; init; }

    // ---- Pool ---------------------------------------------------------------------------------------

    /// <summary><c>maxPoolSize</c>: 0 = no limit. Default 100.</summary>
    public int MaxPoolSize { get; init; } = 100;

    /// <summary><c>minPoolSize</c>: filled in the background. Default 0.</summary>
    public int MinPoolSize { get; init; }

    /// <summary><c>maxIdleTimeMS</c>: close connections idle this long; null = never.</summary>
    public TimeSpan? MaxIdleTime { get; init; }

    /// <summary><c>maxConnecting</c>: connections established at once per pool; more than 0. Default 2.</summary>
    public int MaxConnecting { get; init; } = 2;

    /// <summary><c>waitQueueTimeoutMS</c>: how long a checkout may wait; null = up to the server-selection timeout.</summary>
    public TimeSpan? WaitQueueTimeout { get; init; }

    // ---- Proxy --------------------------------------------------------------------------------------

    /// <summary><c>proxyHost</c>: SOCKS5 proxy host. Parsed only for now.</summary>
    public string? ProxyHost { get; init; }

    /// <summary><c>proxyPort</c>. Default 1080 when a proxy host is set. Parsed only for now.</summary>
    public int? ProxyPort { get; init; }

    /// <summary><c>proxyUsername</c>. Parsed only for now.</summary>
    public string? ProxyUsername { get; init; }

    /// <summary><c>proxyPassword</c>. Never printed. Parsed only for now.</summary>
    public string? ProxyPassword { get; init; }

    // ---- TLS ------------------------------------------------------------------------------------------

    /// <summary><c>tls</c> / <c>ssl</c>: use TLS. On by default for <c>mongodb+srv</c>.</summary>
    public bool UseTls { get; init; }

    /// <summary>TLS options (<c>tlsCAFile</c>, <c>tlsCertificateKeyFile</c>, …) and code-only certificates.</summary>
    public MongoTlsSettings Tls { get; init; } = new();

    // ---- Code only ------------------------------------------------------------------------------

    /// <summary>Where warnings, CMAP logs and auth logs go. Code only; null = nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>DNS used for <c>mongodb+srv</c> and host-name canonicalization. Code only; null = the system's.</summary>
    public IDnsResolver? DnsResolver { get; init; }
}
