using System.Buffers.Binary;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;

namespace MongoAuth.Wire;

/// <summary>Reads and writes BSON documents inside wire-message buffers, with bounds checked against the buffer.</summary>
internal static class BsonSlices
{
    /// <summary>The smallest valid BSON document (length + terminator).</summary>
    public const int MinDocumentSize = 5;

    /// <summary>
    /// Reads the document that starts at <paramref name="offset"/> and must end at or before <paramref name="end"/>.
    /// Returns the document and its length.
    /// </summary>
    public static (BsonDocument Document, int Length) Read(byte[] buffer, int offset, int end, string where) =>
        Read(buffer, offset, end, where, null);

    /// <summary>
    /// <see cref="Read(byte[], int, int, string)"/> with the decoding of the checked slice (buffer, offset, length)
    /// done by <paramref name="decode"/> (a connection's kept reader); null for a one-off reader.
    /// </summary>
    public static (BsonDocument Document, int Length) Read(byte[] buffer, int offset, int end, string where, Func<byte[], int, int, BsonDocument>? decode)
    {
        if (end - offset < MinDocumentSize)
        {
            throw new MongoProtocolException($"Truncated BSON document in {where}: {end - offset} bytes left, at least {MinDocumentSize} needed.");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(offset));
        if (length < MinDocumentSize || length > end - offset)
        {
            throw new MongoProtocolException($"Invalid BSON document length {length} in {where}: {end - offset} bytes remain in the message.");
        }

        if (buffer[offset + length - 1] != 0)
        {
            throw new MongoProtocolException($"BSON document in {where} does not end with a zero byte.");
        }

        try
        {
            if (decode is not null)
            {
                return (decode(buffer, offset, length), length);
            }

            using var stream = new MemoryStream(buffer, offset, length, writable: false);
            using var reader = new BsonBinaryReader(stream);
            var document = BsonSerializer.Deserialize<BsonDocument>(reader);
            return (document, length);
        }
        catch (Exception ex) when (ex is FormatException or EndOfStreamException or BsonSerializationException or InvalidOperationException)
        {
            throw new MongoProtocolException($"Malformed BSON document in {where}: {ex.Message}", ex);
        }
    }

    /// <summary>Appends <paramref name="document"/> as BSON to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, BsonDocument document)
    {
        using var writer = new BsonBinaryWriter(stream);
        if (document is RawBsonDocument raw)
        {
            // Documents the data API serialised once already (to measure them for batch splitting) are copied as they are.
            writer.WriteRawBsonDocument(raw.Slice);
            return;
        }

        BsonSerializer.Serialize(writer, document);
    }
}
