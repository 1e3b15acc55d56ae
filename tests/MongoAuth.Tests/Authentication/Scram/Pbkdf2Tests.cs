using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using MongoAuth.Authentication.Scram;

namespace MongoAuth.Tests.Authentication.Scram;

// Our interruptible PBKDF2 (one block) against RFC 6070's PBKDF2-HMAC-SHA1 vectors, the salted passwords of the
// SCRAM vectors, and the framework's PBKDF2 on random inputs.
public sealed class Pbkdf2Tests
{
    [Theory]
    [InlineData("password", "salt", 1, "0c60c80f961f0e71f3a9b524af6012062fe037a6")]
    [InlineData("password", "salt", 2, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957")]
    [InlineData("password", "salt", 4096, "4b007901b765489abead49d926f721d065a429c1")]
    // dkLen 25 in the RFC: its first block is the first 20 bytes.
    [InlineData("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, "3d2eec4fe41c849b80c8d83662c0e44a8b291a96")]
    public void Rfc6070_sha1_vectors(string password, string salt, int iterations, string expected)
    {
        Assert.Equal(expected, Derive(HashAlgorithmName.SHA1, Encoding.ASCII.GetBytes(password), Encoding.ASCII.GetBytes(salt), iterations));
    }

    [Fact]
    public void Rfc6070_vector_with_nul_bytes_matches_its_first_16_bytes()
    {
        var block = Derive(HashAlgorithmName.SHA1, "pass\0word"u8.ToArray(), "sa\0lt"u8.ToArray(), 4096);

        Assert.StartsWith("56fa6aa75548099dcc37d7f03425e0c3", block, StringComparison.Ordinal);
    }

    [Fact]
    public void Salted_passwords_of_the_scram_vectors()
    {
        // MongoDB's SCRAM-SHA-1 example (the password is the MD5 digest of "user:mongo:pencil") and RFC 7677's SHA-256.
        Assert.Equal("6abd37850da6e327df8dc5afd430791052f92499",
            Derive(HashAlgorithmName.SHA1, "1c33006ec1ffd90f9cadcbcc0e118200"u8.ToArray(), Convert.FromBase64String("rQ9ZY3MntBeuP3E1TDVC4w=="), 10000));
        Assert.Equal("c4a49510323ab4f952cac1fa99441939e78ea74d6be81ddf7096e87513dc615d",
            Derive(HashAlgorithmName.SHA256, "pencil"u8.ToArray(), Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096));
    }

    [Theory]
    [InlineData("SHA1")]
    [InlineData("SHA256")]
    public void Random_inputs_match_the_framework(string hashName)
    {
        var hash = new HashAlgorithmName(hashName);
        var random = new Random(20261128);
        // Passwords around the 64-byte HMAC block (a longer key is hashed first), empty ones, and varied salts.
        int[] passwordLengths = [0, 1, 19, 32, 63, 64, 65, 100, 200];
        int[] iterations = [1, 2, 3, 17, 4095, 4096, 4097, 8193];
        foreach (var length in passwordLengths)
        {
            foreach (var count in iterations)
            {
                var password = new byte[length];
                random.NextBytes(password);
                var salt = new byte[random.Next(0, 80)];
                random.NextBytes(salt);

                var expected = Convert.ToHexStringLower(Rfc2898DeriveBytes.Pbkdf2(password, salt, count, hash, hash == HashAlgorithmName.SHA1 ? 20 : 32));
                Assert.Equal(expected, Derive(hash, password, salt, count));
            }
        }
    }

    [Theory]
    [InlineData("SCRAM-SHA-1")]
    [InlineData("SCRAM-SHA-256")]
    public void Above_the_uninterruptible_limit_the_algorithm_uses_the_interruptible_loop_with_the_same_result(string mechanism)
    {
        var algorithm = ScramAlgorithm.FromName(mechanism)!;
        var count = ScramAlgorithm.UninterruptibleIterationLimit + 1;
        byte[] salt = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

        var salted = algorithm.SaltedPassword("pencil"u8, salt, count, CancellationToken.None);

        Assert.Equal(Rfc2898DeriveBytes.Pbkdf2("pencil"u8, salt, count, algorithm.HashName, algorithm.HashSize), salted);
    }

    [Fact]
    public void A_cancelled_token_stops_before_any_work()
    {
        var destination = new byte[32];

        Assert.ThrowsAny<OperationCanceledException>(() =>
            Pbkdf2.DeriveBlock(HashAlgorithmName.SHA256, "pw"u8, "salt"u8, 1000, destination, new CancellationToken(canceled: true)));
    }

    [Theory]
    [InlineData("SCRAM-SHA-1")]
    [InlineData("SCRAM-SHA-256")]
    public void A_token_that_fires_stops_a_two_billion_iteration_derivation(string mechanism)
    {
        // Two billion iterations take over ten minutes; the token must end it long before (the bound is generous: the
        // point is that it ends, not how fast).
        var algorithm = ScramAlgorithm.FromName(mechanism)!;
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var watch = Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() => algorithm.DeriveKeys("pencil"u8, "salt"u8, 2_000_000_000, cancellation.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    private static string Derive(HashAlgorithmName hash, byte[] password, byte[] salt, int iterations)
    {
        var block = new byte[hash == HashAlgorithmName.SHA1 ? 20 : 32];
        Pbkdf2.DeriveBlock(hash, password, salt, iterations, block, CancellationToken.None);
        return Convert.ToHexStringLower(block);
    }
}
