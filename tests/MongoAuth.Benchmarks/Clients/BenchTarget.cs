using System.Globalization;
using System.Net;

namespace MongoAuth.Benchmarks.Clients;

/// <summary>A SCRAM (or other password) credential the benchmark server knows.</summary>
/// <param name="Mechanism">The mechanism name, e.g. <c>SCRAM-SHA-256</c>.</param>
/// <param name="Source">The authSource.</param>
/// <param name="User">The user name.</param>
/// <param name="Password">The password (never printed; <see cref="ToString"/> leaves it out).</param>
internal sealed record BenchCredential(string Mechanism, string Source, string User, string Password)
{
    /// <summary>Describes the credential without its password.</summary>
    public override string ToString() => $"{Mechanism} {User}@{Source}";
}

/// <summary>A server to measure against: its loopback end point, whether it speaks TLS, and the credential to use.</summary>
/// <param name="EndPoint">Where the server listens.</param>
/// <param name="Tls">True when the server requires TLS (self-signed: clients skip certificate checks).</param>
/// <param name="Credential">The credential, or null to connect without authenticating.</param>
internal sealed record BenchTarget(IPEndPoint EndPoint, bool Tls, BenchCredential? Credential)
{
    /// <summary>
    /// The connection string both drivers parse: same host, credential, pool size and TLS options. The password
    /// is hex, so it needs no percent-encoding.
    /// </summary>
    public string ConnectionString(int maxPoolSize)
    {
        var credential = Credential is null ? "" : $"{Credential.User}:{Credential.Password}@";
        var query = string.Create(CultureInfo.InvariantCulture, $"maxPoolSize={maxPoolSize}");
        if (Credential is not null)
        {
            query += $"&authSource={Credential.Source}&authMechanism={Credential.Mechanism}";
        }

        if (Tls)
        {
            query += "&tls=true&tlsInsecure=true";
        }

        return string.Create(CultureInfo.InvariantCulture, $"mongodb://{credential}{EndPoint.Address}:{EndPoint.Port}/?{query}");
    }

    /// <summary>Describes the target without the password.</summary>
    public override string ToString() => $"{EndPoint} tls={Tls} {Credential}";
}
