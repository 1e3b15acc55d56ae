using System.Security.Cryptography;

namespace MongoAuth.Connections.Tls;

/// <summary>One PEM block: its label (e.g. <c>CERTIFICATE</c>) and its decoded DER bytes.</summary>
internal readonly record struct PemBlock(string Label, byte[] Der);

/// <summary>
/// Splits PEM text into its blocks, in file order. Text between blocks is ignored, and so is a block whose base64
/// body is damaged (<see cref="PemEncoding"/> does not recognise it), so callers report what they did not find.
/// </summary>
internal static class PemBlocks
{
    /// <summary>The blocks of <paramref name="text"/>; empty when it holds none.</summary>
    public static IReadOnlyList<PemBlock> Read(string text)
    {
        var blocks = new List<PemBlock>();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            blocks.Add(new PemBlock(label, Convert.FromBase64String(rest[fields.Base64Data].ToString())));
            rest = rest[fields.Location.End..];
        }

        return blocks;
    }

    /// <summary>Whether the text holds an RFC 1421 (legacy OpenSSL) encrypted key, which .NET cannot read.</summary>
    public static bool HasLegacyEncryptedKey(string text) =>
        text.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal);
}
