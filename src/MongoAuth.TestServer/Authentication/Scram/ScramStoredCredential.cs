using System.Security.Cryptography;
using MongoAuth.Authentication.Scram;

namespace MongoAuth.TestServer.Authentication.Scram;

/// <summary>
/// A SCRAM credential as mongod stores it in <c>admin.system.users</c>: salt, iteration count, StoredKey and
/// ServerKey for one mechanism. The password itself is not kept.
/// </summary>
public sealed class ScramStoredCredential
{
    /// <summary>mongod's default iteration count for SCRAM-SHA-1 (scramIterationCount).</summary>
    public const int DefaultSha1Iterations = 10000;

    /// <summary>mongod's default iteration count for SCRAM-SHA-256 (scramSHA256IterationCount).</summary>
    public const int DefaultSha256Iterations = 15000;

    private ScramStoredCredential(string mechanism, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey)
    {
        Mechanism = mechanism;
        Salt = salt;
        Iterations = iterations;
        StoredKey = storedKey;
        ServerKey = serverKey;
    }

    /// <summary>SCRAM-SHA-1 or SCRAM-SHA-256.</summary>
    public string Mechanism { get; }

    /// <summary>The salt.</summary>
    public ReadOnlyMemory<byte> Salt { get; }

    /// <summary>The iteration count the keys were derived with.</summary>
    public int Iterations { get; }

    /// <summary>StoredKey := H(ClientKey).</summary>
    public ReadOnlyMemory<byte> StoredKey { get; }

    /// <summary>ServerKey := HMAC(SaltedPassword, "Server Key").</summary>
    public ReadOnlyMemory<byte> ServerKey { get; }

    /// <summary>
    /// Computes the stored credential for <paramref name="username"/> and <paramref name="password"/> as mongod's
    /// createUser does (SCRAM-SHA-1 from the MD5 digest, SCRAM-SHA-256 from the SASLprep'd password).
    /// </summary>
    /// <param name="mechanism">SCRAM-SHA-1 or SCRAM-SHA-256.</param>
    /// <param name="username">The user name, as the client sends it (unescaped, no SASLprep).</param>
    /// <param name="password">The password.</param>
    /// <param name="iterations">The iteration count; null for mongod's default for the mechanism.</param>
    /// <param name="salt">The salt; null for a random one of mongod's length (hash size minus 4 bytes).</param>
    /// <exception cref="ArgumentException">Unknown mechanism, or SASLprep refuses the password.</exception>
    public static ScramStoredCredential Create(string mechanism, string username, string password, int? iterations = null, byte[]? salt = null)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        ScramAlgorithm algorithm = Algorithm(mechanism);
        int count = iterations ?? (algorithm == ScramAlgorithm.Sha1 ? DefaultSha1Iterations : DefaultSha256Iterations);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count, nameof(iterations));
        salt ??= RandomNumberGenerator.GetBytes(algorithm.HashSize - 4);
        ScramKeys keys = algorithm.DeriveKeys(algorithm.PreparePassword(username, password), salt, count);
        return new ScramStoredCredential(algorithm.MechanismName, salt, count, keys.StoredKey, keys.ServerKey);
    }

    internal static ScramAlgorithm Algorithm(string mechanism) =>
        ScramAlgorithm.FromName(mechanism)
        ?? throw new ArgumentException($"'{mechanism}' is not SCRAM-SHA-1 or SCRAM-SHA-256.", nameof(mechanism));
}
