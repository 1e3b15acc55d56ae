using System.Security.Cryptography;
using System.Text;

namespace MongoAuth.Authentication.Scram;

/// <summary>
/// The cryptographic half of one SCRAM variant (RFC 5802 §3): H, HMAC, Hi and how MongoDB prepares the password.
/// Shared by the client mechanisms and the test server, so both halves run one implementation of the primitives.
/// </summary>
internal sealed class ScramAlgorithm
{
    /// <summary>The smallest iteration count a client accepts (MongoDB auth spec; RFC 7677 §3 for SHA-256).</summary>
    public const int MinimumIterationCount = 4096;

    private readonly Func<string, string, byte[]> _preparePassword;

    private ScramAlgorithm(string mechanismName, HashAlgorithmName hashName, int hashSize, Func<string, string, byte[]> preparePassword)
    {
        MechanismName = mechanismName;
        HashName = hashName;
        HashSize = hashSize;
        _preparePassword = preparePassword;
    }

    /// <summary>SCRAM-SHA-1: the password is MongoDB's MD5 digest of user and password, not SASLprep'd.</summary>
    public static ScramAlgorithm Sha1 { get; } = new("SCRAM-SHA-1", HashAlgorithmName.SHA1, 20, MongoPasswordDigest);

    /// <summary>SCRAM-SHA-256 (RFC 7677): the password is SASLprep'd, then UTF-8.</summary>
    public static ScramAlgorithm Sha256 { get; } =
        new("SCRAM-SHA-256", HashAlgorithmName.SHA256, 32, (_, password) => Encoding.UTF8.GetBytes(SaslPrep.Prepare(password)));

    /// <summary>The SASL mechanism name.</summary>
    public string MechanismName { get; }

    /// <summary>The hash function H.</summary>
    public HashAlgorithmName HashName { get; }

    /// <summary>The output size of H in bytes.</summary>
    public int HashSize { get; }

    /// <summary>The algorithm for a mechanism name, or null when the name is not a SCRAM mechanism.</summary>
    public static ScramAlgorithm? FromName(string mechanismName) => mechanismName switch
    {
        "SCRAM-SHA-1" => Sha1,
        "SCRAM-SHA-256" => Sha256,
        _ => null,
    };

    /// <summary>
    /// The bytes Hi is applied to. Throws <see cref="ArgumentException"/> when SASLprep refuses the password; the
    /// message never contains it.
    /// </summary>
    public byte[] PreparePassword(string username, string password) => _preparePassword(username, password);

    /// <summary>
    /// Up to this many iterations Hi runs in the framework's PBKDF2, which uses the CPU's SHA instructions but cannot
    /// be interrupted; above it, in <see cref="Pbkdf2"/>, which checks the token every
    /// <see cref="Pbkdf2.CancellationCheckInterval"/> iterations. At this count the framework takes tens of
    /// milliseconds, so a cancellation is never held up for longer than that, and the counts servers use by default
    /// (10,000 for SCRAM-SHA-1, 15,000 for SCRAM-SHA-256) keep the fastest path.
    /// </summary>
    public const int UninterruptibleIterationLimit = 100_000;

    /// <summary>
    /// SaltedPassword := Hi(password, salt, i), i.e. PBKDF2 with HMAC-H and one block of output. Throws
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires (see
    /// <see cref="UninterruptibleIterationLimit"/> for how promptly).
    /// </summary>
    public byte[] SaltedPassword(ReadOnlySpan<byte> preparedPassword, ReadOnlySpan<byte> salt, int iterations, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (iterations <= UninterruptibleIterationLimit)
        {
            return Rfc2898DeriveBytes.Pbkdf2(preparedPassword, salt, iterations, HashName, HashSize);
        }

        byte[] salted = new byte[HashSize];
        Pbkdf2.DeriveBlock(HashName, preparedPassword, salt, iterations, salted, cancellationToken);
        return salted;
    }

    /// <summary>ClientKey, ServerKey and StoredKey from the salted password (the expensive part is Hi).</summary>
    public ScramKeys DeriveKeys(ReadOnlySpan<byte> preparedPassword, ReadOnlySpan<byte> salt, int iterations, CancellationToken cancellationToken = default)
    {
        byte[] saltedPassword = SaltedPassword(preparedPassword, salt, iterations, cancellationToken);
        try
        {
            byte[] clientKey = Hmac(saltedPassword, "Client Key"u8);
            return new ScramKeys(clientKey, Hmac(saltedPassword, "Server Key"u8), Hash(clientKey));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(saltedPassword);
        }
    }

    /// <summary>ClientProof := ClientKey XOR HMAC(StoredKey, AuthMessage).</summary>
    public byte[] ClientProof(ScramKeys keys, ReadOnlySpan<byte> authMessage) =>
        Xor(keys.ClientKey, Hmac(keys.StoredKey, authMessage));

    /// <summary>ServerSignature := HMAC(ServerKey, AuthMessage).</summary>
    public byte[] ServerSignature(ReadOnlySpan<byte> serverKey, ReadOnlySpan<byte> authMessage) => Hmac(serverKey, authMessage);

    /// <summary>
    /// The server's check (RFC 5802 §3): recover ClientKey from the proof and compare H(ClientKey) with StoredKey
    /// in constant time.
    /// </summary>
    public bool VerifyClientProof(ReadOnlySpan<byte> storedKey, ReadOnlySpan<byte> authMessage, ReadOnlySpan<byte> clientProof)
    {
        if (clientProof.Length != HashSize)
        {
            return false;
        }

        byte[] clientKey = Xor(clientProof, Hmac(storedKey, authMessage));
        return CryptographicOperations.FixedTimeEquals(Hash(clientKey), storedKey);
    }

    private byte[] Hash(ReadOnlySpan<byte> data) => CryptographicOperations.HashData(HashName, data);

    private byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => CryptographicOperations.HmacData(HashName, key, data);

    private static byte[] Xor(ReadOnlySpan<byte> left, byte[] right)
    {
        for (int i = 0; i < right.Length; i++)
        {
            right[i] ^= left[i];
        }

        return right;
    }

    // MongoDB's SCRAM-SHA-1 password: lowercase HEX(MD5(UTF8(username + ":mongo:" + password))).
    private static byte[] MongoPasswordDigest(string username, string password)
    {
        byte[] digest = MD5.HashData(Encoding.UTF8.GetBytes(username + ":mongo:" + password));
        return Encoding.ASCII.GetBytes(Convert.ToHexStringLower(digest));
    }
}
