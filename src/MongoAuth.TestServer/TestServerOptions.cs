using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MongoAuth.TestServer.Pki;

namespace MongoAuth.TestServer;

/// <summary>Whether the test server asks TLS clients for a certificate.</summary>
public enum ClientCertificateMode
{
    /// <summary>No client certificate is requested.</summary>
    None,

    /// <summary>A client certificate is requested; connections without one are accepted.</summary>
    Optional,

    /// <summary>A client certificate that chains to <see cref="TestServerOptions.ClientCertificateTrust"/> is required.</summary>
    Required,
}

/// <summary>How a <see cref="MongoTestServer"/> listens and behaves.</summary>
public sealed class TestServerOptions
{
    /// <summary>The address to listen on (loopback by default).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port to listen on; 0 picks a free port (see <see cref="MongoTestServer.Port"/>).</summary>
    public int Port { get; init; }

    /// <summary>The server certificate (with private key); null serves plain TCP.</summary>
    public X509Certificate2? TlsCertificate { get; init; }

    /// <summary>The CA certificates between <see cref="TlsCertificate"/> and its root, sent with it in the handshake.</summary>
    public X509Certificate2Collection? TlsIntermediates { get; init; }

    /// <summary>The TLS versions the server accepts; <see cref="SslProtocols.None"/> lets the system choose.</summary>
    public SslProtocols TlsProtocols { get; init; } = SslProtocols.None;

    /// <summary>Whether TLS clients are asked for a certificate.</summary>
    public ClientCertificateMode ClientCertificates { get; init; } = ClientCertificateMode.None;

    /// <summary>The roots a client certificate must chain to; null trusts the system store.</summary>
    public X509Certificate2Collection? ClientCertificateTrust { get; init; }

    /// <summary>
    /// CRLs a client certificate is checked against offline, like mongod's <c>tlsCRLFile</c>: a certificate in the
    /// client's chain that one of them lists fails the TLS handshake. Null or empty: no revocation check.
    /// </summary>
    public IReadOnlyList<CertificateRevocationList>? ClientCertificateRevocationLists { get; init; }

    /// <summary>The maxWireVersion the server advertises in hello (25 = MongoDB 8.0).</summary>
    public int MaxWireVersion { get; init; } = 25;

    /// <summary>
    /// Whether commands other than the handshake, authentication and a few diagnostics need an authenticated
    /// connection (code 13 Unauthorized otherwise), as on a mongod started with <c>--auth</c>.
    /// </summary>
    public bool RequireAuthentication { get; init; } = true;

    /// <summary>
    /// Whether hello answers <c>speculativeAuthenticate</c> (as MongoDB 4.4 and later do). With false the field is
    /// ignored, as by an older server, and the client runs the whole conversation from <c>saslStart</c>.
    /// </summary>
    public bool AnswerSpeculativeAuthentication { get; init; } = true;

    /// <summary>
    /// The maxWriteBatchSize hello reports (mongod: 100,000); insert, update and delete refuse larger batches with
    /// code 16 InvalidLength, as mongod does. Lower it to see a client split its batches.
    /// </summary>
    public int MaxWriteBatchSize { get; init; } = 100_000;

    /// <summary>The maxMessageSizeBytes hello reports (mongod: 48,000,000); larger messages close the connection.</summary>
    public int MaxMessageSizeBytes { get; init; } = MongoAuth.Wire.WireLimits.DefaultMaxMessageSize;

    /// <summary>The logicalSessionTimeoutMinutes hello reports (mongod: 30); null leaves it out, as a server without sessions.</summary>
    public int? LogicalSessionTimeoutMinutes { get; init; } = 30;

    /// <summary>Where the server logs connections and command failures (never payloads or secrets).</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
