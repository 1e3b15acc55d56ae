using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using MongoAuth.Benchmarks.Clients;

namespace MongoAuth.Benchmarks.Scenarios;

/// <summary>
/// What one SCRAM key derivation costs on this machine: PBKDF2 (Hi) with the mechanism's hash at the iteration count
/// the test server stores (mongod's defaults: 15,000 for SCRAM-SHA-256, 10,000 for SCRAM-SHA-1), through the
/// platform's implementation (<see cref="Rfc2898DeriveBytes.Pbkdf2(byte[], byte[], int, HashAlgorithmName, int)"/>).
/// A cold connect cannot avoid one such derivation, so this plus the floor's connect-and-ping is the least a SCRAM
/// cold connect can take.
/// </summary>
internal sealed class ScramReference(HashAlgorithmName hash, int iterations, int length, byte[] password)
{
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(28);

    /// <summary>The reference for a SCRAM credential; null for other mechanisms (or none).</summary>
    public static ScramReference? For(BenchCredential? credential) => credential switch
    {
        { Mechanism: "SCRAM-SHA-256", Password: { } password } => new(HashAlgorithmName.SHA256, 15_000, 32, Encoding.UTF8.GetBytes(password)),
        { Mechanism: "SCRAM-SHA-1", Password: { } password } => new(HashAlgorithmName.SHA1, 10_000, 20, Encoding.UTF8.GetBytes(password)),
        _ => null,
    };

    /// <summary>Runs one derivation and returns how long it took.</summary>
    public TimeSpan TimeOneDerivation()
    {
        var started = Stopwatch.GetTimestamp();
        var key = Rfc2898DeriveBytes.Pbkdf2(password, _salt, iterations, hash, length);
        var elapsed = Stopwatch.GetElapsedTime(started);
        CryptographicOperations.ZeroMemory(key);
        return elapsed;
    }
}
