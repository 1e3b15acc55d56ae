using System.Security.Cryptography;
using System.Text;

namespace MongoAuth.TestServer.Users;

/// <summary>
/// A SCRAM credential as mongod stores it in <c>admin.system.users</c>: salt, iteration count, StoredKey and
/// ServerKey for one mechanism. The password itself is never kept.
/// </summary>
public sealed class ScramUserCredential
{
    /// <summary>mongod's default iteration count for SCRAM-SHA-1 (<c>scramIterationCount</c>).</summary>
    public const int DefaultSha1Iterations = 10000;

    /// <summary>mongod's default iteration count for SCRAM-SHA-256 (<c>scramSHA256IterationCount</c>).</summary>
    public const int DefaultSha256Iterations = 15000;

    private ScramUserCredential(string mechanism, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey)
    {
        Mechanism = mechanism;
        Salt = salt;
        Iterations = iterations;
        StoredKey = storedKey;
        ServerKey = serverKey;
    }

    /// <summary>SCRAM-SHA-1 or SCRAM-SHA-256.</summary>
    public string Mechanism { get; }

    /// <summary>The random salt (hash length minus 4 bytes, as mongod generates it).</summary>
    public ReadOnlyMemory<byte> Salt { get; }

    /// <summary>The PBKDF2 iteration count.</summary>
    public int Iterations { get; }

    /// <summary>H(HMAC(SaltedPassword, "Client Key")).</summary>
    public ReadOnlyMemory<byte> StoredKey { get; }

    /// <summary>HMAC(SaltedPassword, "Server Key").</summary>
    public ReadOnlyMemory<byte> ServerKey { get; }

    /// <summary>The hash algorithm of <see cref="Mechanism"/>.</summary>
    public HashAlgorithmName HashAlgorithm => HashOf(Mechanism);

    /// <summary>
    /// Derives the stored credential of <paramref name="username"/> from <paramref name="password"/> as mongod does:
    /// SCRAM-SHA-1 hashes <c>MD5("user:mongo:password")</c> (hex), SCRAM-SHA-256 the normalized password.
    /// </summary>
    /// <param name="mechanism">SCRAM-SHA-1 or SCRAM-SHA-256.</param>
    /// <param name="username">The user name.</param>
    /// <param name="password">The password.</param>
    /// <param name="iterations">The iteration count; null uses mongod's default for the mechanism.</param>
    /// <param name="salt">The salt; null draws a random one.</param>
    public static ScramUserCredential Create(string mechanism, string username, string password, int? iterations = null,
        byte[]? salt = null)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        var hash = HashOf(mechanism);
        var hashLength = hash == HashAlgorithmName.SHA1 ? 20 : 32;
        var count = iterations ?? (hash == HashAlgorithmName.SHA1 ? DefaultSha1Iterations : DefaultSha256Iterations);
        salt ??= RandomNumberGenerator.GetBytes(hashLength - 4);
        var passwordBytes = Encoding.UTF8.GetBytes(hash == HashAlgorithmName.SHA1
            ? Md5Digest(username, password)
            : password.Normalize(NormalizationForm.FormKC));
        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(passwordBytes, salt, count, hash, hashLength);
        var clientKey = HMAC(hash, saltedPassword, "Client Key");
        var storedKey = hash == HashAlgorithmName.SHA1 ? SHA1.HashData(clientKey) : SHA256.HashData(clientKey);
        var serverKey = HMAC(hash, saltedPassword, "Server Key");
        CryptographicOperations.ZeroMemory(saltedPassword);
        CryptographicOperations.ZeroMemory(passwordBytes);
        return new ScramUserCredential(mechanism, salt, count, storedKey, serverKey);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Mechanism} (i={Iterations})";

    private static HashAlgorithmName HashOf(string mechanism) => mechanism switch
    {
        ScramMechanismNames.Sha1 => HashAlgorithmName.SHA1,
        ScramMechanismNames.Sha256 => HashAlgorithmName.SHA256,
        _ => throw new ArgumentException($"'{mechanism}' is not a SCRAM mechanism.", nameof(mechanism)),
    };

    private static byte[] HMAC(HashAlgorithmName hash, byte[] key, string text) => hash == HashAlgorithmName.SHA1
        ? HMACSHA1.HashData(key, Encoding.UTF8.GetBytes(text))
        : HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text));

    private static string Md5Digest(string username, string password)
    {
#pragma warning disable CA5351 // MD5 is what the SCRAM-SHA-1 password digest is defined with, not a security choice.
        var digest = MD5.HashData(Encoding.UTF8.GetBytes(username + ":mongo:" + password));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(digest);
    }
}

/// <summary>The SCRAM mechanism names.</summary>
public static class ScramMechanismNames
{
    /// <summary>SCRAM-SHA-1.</summary>
    public const string Sha1 = "SCRAM-SHA-1";

    /// <summary>SCRAM-SHA-256.</summary>
    public const string Sha256 = "SCRAM-SHA-256";

    /// <summary>Both SCRAM mechanisms, the default of a new user.</summary>
    public static IReadOnlyList<string> Both { get; } = [Sha256, Sha1];
}
