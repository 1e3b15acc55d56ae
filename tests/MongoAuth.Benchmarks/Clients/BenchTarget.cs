using System.Globalization;
using System.Net;

namespace MongoAuth.Benchmarks.Clients;

/// <summary>A credential the benchmark server knows.</summary>
/// <param name="Mechanism">The mechanism name, e.g. <c>SCRAM-SHA-256</c>.</param>
/// <param name="Source">The authSource.</param>
/// <param name="User">The user name; null when the mechanism takes it from elsewhere (X.509: the certificate).</param>
/// <param name="Password">The password; null when the mechanism has none (X.509, GSSAPI from the ticket cache).
/// Never printed: <see cref="ToString"/> leaves it out.</param>
internal sealed record BenchCredential(string Mechanism, string Source, string? User, string? Password)
{
    /// <summary>Describes the credential without its password.</summary>
    public override string ToString() => $"{Mechanism} {User ?? "(certificate subject)"}@{Source}";
}

/// <summary>A client certificate (PKCS#12 file with its key) presented in the TLS handshake, for MONGODB-X509.</summary>
/// <param name="Pkcs12File">The file.</param>
/// <param name="Password">Its password (never printed).</param>
internal sealed record BenchClientCertificate(string Pkcs12File, string Password)
{
    /// <summary>Describes the certificate without the password.</summary>
    public override string ToString() => Pkcs12File;
}

/// <summary>A server to measure against: its loopback end point, whether it speaks TLS, and the credential to use.</summary>
/// <param name="EndPoint">Where the server listens.</param>
/// <param name="Tls">True when the server requires TLS (clients skip checking the server's certificate).</param>
/// <param name="Credential">The credential, or null to connect without authenticating.</param>
internal sealed record BenchTarget(IPEndPoint EndPoint, bool Tls, BenchCredential? Credential)
{
    /// <summary>
    /// The host name the drivers connect to, when it must be a name rather than <see cref="EndPoint"/>'s address
    /// (GSSAPI: the service principal is <c>mongodb/&lt;host&gt;</c>); it must resolve to that address.
    /// </summary>
    public string? Host { get; init; }

    /// <summary>The MONGODB-OIDC callback and caching of the OIDC rows, or null.</summary>
    public BenchOidc? Oidc { get; init; }

    /// <summary>The client certificate to present (MONGODB-X509), or null.</summary>
    public BenchClientCertificate? ClientCertificate { get; init; }

    /// <summary>The pool's minPoolSize (0: none, and the option is left out of the connection string).</summary>
    public int MinPoolSize { get; init; }

    /// <summary>
    /// The connection string both drivers parse: same host, credential, pool size and TLS options. The client
    /// certificate is not in it: each client loads it its own way.
    /// </summary>
    public string ConnectionString(int maxPoolSize)
    {
        // MONGODB-AWS keys never go in a connection string (the specification forbids it); clients add them from code.
        var userInfo = Credential?.User is { } user && !KeysFromCode
            ? Uri.EscapeDataString(user) + (Credential.Password is { } password ? ":" + Uri.EscapeDataString(password) : "") + "@"
            : "";
        var query = string.Create(CultureInfo.InvariantCulture, $"maxPoolSize={maxPoolSize}");
        if (MinPoolSize > 0)
        {
            query += string.Create(CultureInfo.InvariantCulture, $"&minPoolSize={MinPoolSize}");
        }
        // An OIDC callback is given from code only: the connection string names no mechanism.
        if (Credential is not null && Oidc is null)
        {
            query += $"&authSource={Credential.Source}&authMechanism={Credential.Mechanism}";
        }

        if (Tls)
        {
            query += "&tls=true&tlsInsecure=true";
        }

        return string.Create(CultureInfo.InvariantCulture, $"mongodb://{userInfo}{Host ?? EndPoint.Address.ToString()}:{EndPoint.Port}/?{query}");
    }

    /// <summary>Whether the credential's user and password are given from code rather than in the connection string (MONGODB-AWS).</summary>
    public bool KeysFromCode => Credential?.Mechanism == "MONGODB-AWS";

    /// <summary>Describes the target without the password.</summary>
    public override string ToString() => $"{EndPoint} tls={Tls} {Credential}{(Oidc is null ? "" : $" {Oidc}")}{(ClientCertificate is null ? "" : $" certificate {ClientCertificate}")}";
}
