using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace MongoAuth.Authentication.Scram;

/// <summary>
/// PBKDF2 with HMAC-SHA-1 or HMAC-SHA-256 (RFC 8018 §5.2) for exactly one output block, which is all SCRAM's Hi
/// needs (dkLen = hLen, RFC 5802 §2.2), and which a <see cref="CancellationToken"/> can stop. The framework's
/// <c>Rfc2898DeriveBytes.Pbkdf2</c> cannot be interrupted, so a server that asks for many iterations would keep a
/// core busy after the connection's deadline has passed.
/// </summary>
/// <remarks>
/// Speed: each iteration is HMAC(P, U) with a U of one hash length, i.e. exactly one compression under the inner key
/// and one under the outer key. The HMAC key pads are compressed once (RFC 2104 §4 notes this precomputation), and U
/// stays in 32-bit words (a SHA digest is its state words in big-endian order), so the loop runs two compressions and
/// no allocation, copy or native call per iteration.
/// </remarks>
[SkipLocalsInit]
internal static class Pbkdf2
{
    /// <summary>How many iterations run between two looks at the cancellation token.</summary>
    public const int CancellationCheckInterval = 4096;

    private const int BlockSize = 64;

    /// <summary>
    /// T_1 = U_1 xor … xor U_c with U_1 = PRF(P, S || INT(1)) and U_j = PRF(P, U_{j-1}), written to
    /// <paramref name="destination"/> (one hash length). Throws <see cref="OperationCanceledException"/> when the
    /// token fires; the partial result is wiped.
    /// </summary>
    public static void DeriveBlock(
        HashAlgorithmName hash, ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, Span<byte> destination, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        if (hash == HashAlgorithmName.SHA1)
        {
            Derive<Sha1Compression>(hash, password, salt, iterations, destination, cancellationToken);
        }
        else if (hash == HashAlgorithmName.SHA256)
        {
            Derive<Sha256Compression>(hash, password, salt, iterations, destination, cancellationToken);
        }
        else
        {
            throw new ArgumentException($"PBKDF2 is implemented for SHA-1 and SHA-256 only, not {hash.Name}.", nameof(hash));
        }
    }

    private static void Derive<T>(
        HashAlgorithmName hash, ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, Span<byte> destination, CancellationToken cancellationToken)
        where T : struct, ICompression
    {
        int words = T.StateWords;
        int hashSize = words * 4;
        if (destination.Length != hashSize)
        {
            throw new ArgumentException($"The destination must be {hashSize} bytes.", nameof(destination));
        }

        cancellationToken.ThrowIfCancellationRequested();
        Span<uint> innerState = stackalloc uint[8];
        Span<uint> outerState = stackalloc uint[8];
        Span<uint> u = stackalloc uint[16];
        Span<uint> t = stackalloc uint[8];
        Span<uint> block = stackalloc uint[16];
        Span<byte> first = stackalloc byte[32];
        Span<uint> schedule = stackalloc uint[80];
        u.Clear(); // [SkipLocalsInit]: the padding words of U must be zero
        try
        {
            PadStates<T>(hash, password, innerState, outerState, schedule);

            // U_1 = HMAC(P, S || INT(1)): salt lengths vary, so this one goes through the framework's HMAC.
            using (var mac = IncrementalHash.CreateHMAC(hash, password))
            {
                mac.AppendData(salt);
                mac.AppendData([0, 0, 0, 1]);
                mac.GetHashAndReset(first[..hashSize]);
            }

            for (int i = 0; i < words; i++)
            {
                u[i] = BinaryPrimitives.ReadUInt32BigEndian(first[(i * 4)..]);
                t[i] = u[i];
            }

            // U is a one-hash-length message after a 64-byte key block: SHA padding puts 0x80 right after it and the
            // bit length (64 + hLen) * 8 in the last word, and both stay the same for every iteration.
            u[words] = 0x8000_0000;
            u[15] = (uint)(BlockSize + hashSize) * 8;
            for (int iteration = 2; iteration <= iterations; iteration++)
            {
                if (iteration % CancellationCheckInterval == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                // Inner hash of U, then the outer hash of the inner digest, each from its precomputed pad state.
                innerState[..words].CopyTo(block);
                T.Compress(block, u, schedule);
                block[..words].CopyTo(u);
                outerState[..words].CopyTo(block);
                T.Compress(block, u, schedule);
                for (int i = 0; i < words; i++)
                {
                    u[i] = block[i];
                    t[i] ^= block[i];
                }
            }

            for (int i = 0; i < words; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(destination[(i * 4)..], t[i]);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(innerState));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(outerState));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(u));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(t));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(block));
            CryptographicOperations.ZeroMemory(first);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(schedule));
        }
    }

    /// <summary>The hash states after the first block of HMAC's inner (K xor ipad) and outer (K xor opad) hash.</summary>
    private static void PadStates<T>(HashAlgorithmName hash, ReadOnlySpan<byte> password, Span<uint> inner, Span<uint> outer, Span<uint> schedule)
        where T : struct, ICompression
    {
        // RFC 2104 §2: a key longer than the block is hashed first; a shorter one is padded with zeros.
        Span<byte> key = stackalloc byte[BlockSize];
        key.Clear();
        Span<uint> keyWords = stackalloc uint[16];
        try
        {
            if (password.Length > BlockSize)
            {
                CryptographicOperations.HashData(hash, password, key);
            }
            else
            {
                password.CopyTo(key);
            }

            for (int i = 0; i < 16; i++)
            {
                keyWords[i] = BinaryPrimitives.ReadUInt32BigEndian(key[(i * 4)..]) ^ 0x3636_3636;
            }

            T.Initial.CopyTo(inner);
            T.Compress(inner, keyWords, schedule);
            for (int i = 0; i < 16; i++)
            {
                keyWords[i] ^= 0x3636_3636 ^ 0x5C5C_5C5C;
            }

            T.Initial.CopyTo(outer);
            T.Compress(outer, keyWords, schedule);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(keyWords));
        }
    }

    /// <summary>One SHA compression function over a 16-word big-endian block.</summary>
    private interface ICompression
    {
        static abstract int StateWords { get; }

        static abstract ReadOnlySpan<uint> Initial { get; }

        static abstract int ScheduleWords { get; }

        static abstract void Compress(Span<uint> state, ReadOnlySpan<uint> block, Span<uint> schedule);
    }

    /// <summary>SHA-1's compression function (FIPS 180-4 §6.1.2).</summary>
    private readonly struct Sha1Compression : ICompression
    {
        public static int StateWords => 5;

        public static int ScheduleWords => 80;

        public static ReadOnlySpan<uint> Initial => [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];

        public static void Compress(Span<uint> state, ReadOnlySpan<uint> block, Span<uint> schedule)
        {
            Span<uint> w = schedule[..80];
            block[..16].CopyTo(w);
            for (int i = 16; i < w.Length; i++)
            {
                w[i] = BitOperations.RotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
            }

            uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
            for (int i = 0; i < 20; i++)
            {
                uint temp = BitOperations.RotateLeft(a, 5) + ((b & c) | (~b & d)) + e + 0x5A827999 + w[i];
                e = d; d = c; c = BitOperations.RotateLeft(b, 30); b = a; a = temp;
            }

            for (int i = 20; i < 40; i++)
            {
                uint temp = BitOperations.RotateLeft(a, 5) + (b ^ c ^ d) + e + 0x6ED9EBA1 + w[i];
                e = d; d = c; c = BitOperations.RotateLeft(b, 30); b = a; a = temp;
            }

            for (int i = 40; i < 60; i++)
            {
                uint temp = BitOperations.RotateLeft(a, 5) + ((b & c) | (b & d) | (c & d)) + e + 0x8F1BBCDC + w[i];
                e = d; d = c; c = BitOperations.RotateLeft(b, 30); b = a; a = temp;
            }

            for (int i = 60; i < 80; i++)
            {
                uint temp = BitOperations.RotateLeft(a, 5) + (b ^ c ^ d) + e + 0xCA62C1D6 + w[i];
                e = d; d = c; c = BitOperations.RotateLeft(b, 30); b = a; a = temp;
            }

            state[0] += a;
            state[1] += b;
            state[2] += c;
            state[3] += d;
            state[4] += e;
        }
    }

    /// <summary>SHA-256's compression function (FIPS 180-4 §6.2.2).</summary>
    private readonly struct Sha256Compression : ICompression
    {
        public static int StateWords => 8;

        public static int ScheduleWords => 64;

        public static ReadOnlySpan<uint> Initial =>
            [0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19];

        private static ReadOnlySpan<uint> K =>
        [
            0x428A2F98, 0x71374491, 0xB5C0FBCF, 0xE9B5DBA5, 0x3956C25B, 0x59F111F1, 0x923F82A4, 0xAB1C5ED5,
            0xD807AA98, 0x12835B01, 0x243185BE, 0x550C7DC3, 0x72BE5D74, 0x80DEB1FE, 0x9BDC06A7, 0xC19BF174,
            0xE49B69C1, 0xEFBE4786, 0x0FC19DC6, 0x240CA1CC, 0x2DE92C6F, 0x4A7484AA, 0x5CB0A9DC, 0x76F988DA,
            0x983E5152, 0xA831C66D, 0xB00327C8, 0xBF597FC7, 0xC6E00BF3, 0xD5A79147, 0x06CA6351, 0x14292967,
            0x27B70A85, 0x2E1B2138, 0x4D2C6DFC, 0x53380D13, 0x650A7354, 0x766A0ABB, 0x81C2C92E, 0x92722C85,
            0xA2BFE8A1, 0xA81A664B, 0xC24B8B70, 0xC76C51A3, 0xD192E819, 0xD6990624, 0xF40E3585, 0x106AA070,
            0x19A4C116, 0x1E376C08, 0x2748774C, 0x34B0BCB5, 0x391C0CB3, 0x4ED8AA4A, 0x5B9CCA4F, 0x682E6FF3,
            0x748F82EE, 0x78A5636F, 0x84C87814, 0x8CC70208, 0x90BEFFFA, 0xA4506CEB, 0xBEF9A3F7, 0xC67178F2,
        ];

        public static void Compress(Span<uint> state, ReadOnlySpan<uint> block, Span<uint> schedule)
        {
            Span<uint> w = schedule[..64];
            block[..16].CopyTo(w);
            for (int i = 16; i < w.Length; i++)
            {
                uint s0 = BitOperations.RotateRight(w[i - 15], 7) ^ BitOperations.RotateRight(w[i - 15], 18) ^ (w[i - 15] >> 3);
                uint s1 = BitOperations.RotateRight(w[i - 2], 17) ^ BitOperations.RotateRight(w[i - 2], 19) ^ (w[i - 2] >> 10);
                w[i] = w[i - 16] + s0 + w[i - 7] + s1;
            }

            ReadOnlySpan<uint> k = K[..64];
            uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
            for (int i = 0; i < k.Length; i++)
            {
                uint sum1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
                uint choose = (e & f) ^ (~e & g);
                uint temp1 = h + sum1 + choose + k[i] + w[i];
                uint sum0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
                uint majority = (a & b) ^ (a & c) ^ (b & c);
                uint temp2 = sum0 + majority;
                h = g; g = f; f = e; e = d + temp1; d = c; c = b; b = a; a = temp1 + temp2;
            }

            state[0] += a;
            state[1] += b;
            state[2] += c;
            state[3] += d;
            state[4] += e;
            state[5] += f;
            state[6] += g;
            state[7] += h;
        }
    }
}
