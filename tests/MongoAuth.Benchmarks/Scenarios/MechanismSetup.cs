using System.Net;
using System.Security.Cryptography;
using MongoAuth.Benchmarks.Clients;
using MongoAuth.TestServer.Authentication.Oidc;
using MongoAuth.TestServer.Pki;

namespace MongoAuth.Benchmarks.Scenarios;

/// <summary>
/// How to measure cold connect with one mechanism beyond SCRAM: the test server's arguments and the target both
/// drivers (and the floor) connect to, or why it cannot be measured in this run.
/// </summary>
/// <param name="ServerArguments">Arguments of the standalone test server (secrets among them are never printed).</param>
/// <param name="Target">The target, given where the server listens.</param>
/// <param name="NotMeasured">Why the mechanism is not measured, or null.</param>
internal sealed record MechanismSetup(IReadOnlyList<string> ServerArguments, Func<IPEndPoint, BenchTarget> Target, string? NotMeasured = null)
{
    /// <summary>The variables <c>tests/backends/kdc/start.sh</c> writes that the GSSAPI row needs.</summary>
    internal static readonly IReadOnlyList<string> KerberosVariables =
        ["KRB5_CONFIG", "KRB5_KTNAME", "KRB5CCNAME", "MONGOAUTH_KRB_USER", "MONGOAUTH_KRB_SERVICE_HOST"];

    /// <summary>
    /// MONGODB-X509 over TLS: the server presents the PKI's server certificate (with its intermediate) and requires a
    /// client certificate chaining to the root or the intermediate (the official driver sends only its leaf); both
    /// drivers present the EC client certificate, whose subject is the one <c>$external</c> user.
    /// </summary>
    public static MechanismSetup X509(TestPki pki)
    {
        ArgumentNullException.ThrowIfNull(pki);
        var trust = Path.Combine(pki.Directory, "bench-client-trust.pem");
        File.WriteAllText(trust, pki.Root.Certificate.ExportCertificatePem() + "\n" + pki.Intermediate.Certificate.ExportCertificatePem() + "\n");
        var client = pki.ClientEc;
        return new MechanismSetup(
            ["--tls-pfx", pki.Server.Pkcs12File, "--tls-password", pki.Password, "--tls-client-ca", trust, "--external-user", client.Subject],
            endPoint => new BenchTarget(endPoint, Tls: true, new BenchCredential("MONGODB-X509", "$external", null, null))
            {
                ClientCertificate = new BenchClientCertificate(client.Pkcs12File, pki.Password),
            });
    }

    /// <summary>
    /// PLAIN over TLS (self-signed, like the SCRAM TLS row) with one in-memory user of <c>$external</c>: the server
    /// checks the password itself. Against LDAP the server's bind would dominate and measure slapd, not the drivers.
    /// </summary>
    public static MechanismSetup Plain()
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        return new MechanismSetup(
            ["--tls-self-signed", "--plain-user", $"bench:{password}"],
            endPoint => new BenchTarget(endPoint, Tls: true, new BenchCredential("PLAIN", "$external", "bench", password)));
    }

    /// <summary>
    /// MONGODB-AWS without TLS with one identity (an IAM user's key): the server checks the SigV4 signature against its
    /// key table, as STS would. MongoAuth gets the keys from code (a connection string may not carry them).
    /// </summary>
    public static MechanismSetup AwsExplicitKeys()
    {
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        const string key = "AKIABENCHMARKKEY0001";
        return new MechanismSetup(
            ["--aws-identity", $"{key}:{secret}:arn:aws:iam::123456789012:user/bench"],
            endPoint => new BenchTarget(endPoint, Tls: false, new BenchCredential("MONGODB-AWS", "$external", key, secret)));
    }

    /// <summary>
    /// MONGODB-OIDC without TLS: the server process trusts <paramref name="issuer"/> (an in-process issuer of the
    /// benchmark, whose key set it fetches once) and both drivers' callback returns one token minted now for the
    /// <c>$external</c> user <c>bench</c>; <paramref name="cached"/> picks the row (<see cref="BenchOidc"/>).
    /// </summary>
    public static MechanismSetup Oidc(TestOidcIssuer issuer, bool cached)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var oidc = new BenchOidc(issuer.CreateToken("bench", TimeSpan.FromHours(2)), cached);
        return new MechanismSetup(
            ["--oidc-issuer", issuer.Issuer, "--oidc-audience", TestOidcIssuer.DefaultAudience, "--external-user", "bench"],
            endPoint => new BenchTarget(endPoint, Tls: false, new BenchCredential("MONGODB-OIDC", "$external", null, null)) { Oidc = oidc });
    }

    /// <summary>
    /// GSSAPI without TLS against the KDC of <c>tests/backends/kdc</c>, whose variables must be in this process's
    /// environment (the server process inherits KRB5_CONFIG and KRB5_KTNAME). Both drivers use the ticket cache
    /// (KRB5CCNAME) that <c>bench.sh</c> filled with <c>kinit</c>, and connect to the service host by name, so the
    /// service principal is <c>mongodb/&lt;host&gt;</c>.
    /// </summary>
    /// <param name="environment">Reads a variable (the process environment in the benchmark). <c>MONGOAUTH_BENCH_KDC_ERROR</c>,
    /// set by <c>bench.sh</c> when the KDC or kinit failed, is the reason the row is not measured.</param>
    public static MechanismSetup Gssapi(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var missing = KerberosVariables.Where(name => string.IsNullOrEmpty(environment(name))).ToList();
        var reason = environment("MONGOAUTH_BENCH_KDC_ERROR") is { Length: > 0 } error ? error
            : missing.Count > 0 ? $"the KDC's environment is missing ({string.Join(", ", missing)}); ./bench.sh starts tests/backends/kdc and exports it"
            : null;
        if (reason is not null)
        {
            return new MechanismSetup([], _ => throw new InvalidOperationException(reason), $"not measured: {reason}");
        }

        var user = environment("MONGOAUTH_KRB_USER")!;
        return new MechanismSetup(
            ["--gssapi-user", user],
            endPoint => new BenchTarget(endPoint, Tls: false, new BenchCredential("GSSAPI", "$external", user, null))
            {
                Host = environment("MONGOAUTH_KRB_SERVICE_HOST"),
            });
    }
}
