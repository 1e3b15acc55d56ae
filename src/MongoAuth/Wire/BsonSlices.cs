using System.Buffers.Binary;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace MongoAuth.Wire;

/// <summary>Reads and writes BSON documents inside wire-message buffers, with bounds checked against the buffer.</summary>
internal static class BsonSlices
{
    /// <summary>The smallest valid BSON document (length + terminator).</summary>
    public const int MinDocumentSize = 5;

    /// <summary>
    /// Reads the document that starts at <paramref name="offset"/> and must end at or before <paramref name="end"/>.
    /// Returns the document and its length. <paramref name="serializer"/> (default: a plain <see cref="BsonDocument"/>)
    /// lets a caller keep parts of a reply as raw slices of <paramref name="buffer"/> (cursor batches).
    /// </summary>
    public static (BsonDocument Document, int Length) Read(byte[] buffer, int offset, int end, string where, IBsonSerializer<BsonDocument>? serializer = null) =>
        Read(buffer, offset, end, where, serializer, decode: null);

    /// <summary>
    /// <see cref="Read(byte[], int, int, string, IBsonSerializer{BsonDocument})"/> with the decoding of the checked slice
    /// (buffer, offset, length) done by <paramref name="decode"/> when given (a connection's kept reader).
    /// </summary>
    public static (BsonDocument Document, int Length) Read(byte[] buffer, int offset, int end, string where, IBsonSerializer<BsonDocument>? serializer, Func<byte[], int, int, BsonDocument>? decode)
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

            // A ByteBufferStream over the message itself: a raw slice taken while reading shares these bytes (no copy).
#pragma warning disable CA2000 // The stream owns the buffer and disposes it.
            using var stream = new ByteBufferStream(new ByteArrayBuffer(buffer, offset + length, isReadOnly: true), ownsBuffer: true) { Position = offset };
#pragma warning restore CA2000
            using var reader = new BsonBinaryReader(stream);
            var document = (serializer ?? BsonDocumentSerializer.Instance).Deserialize(BsonDeserializationContext.CreateRoot(reader));
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
        if (document is RawBsonDocument raw)
        {
            // Documents already serialised (a replacement the data API checked, a test's raw document) are copied as
            // they are, straight from their bytes.
            var slice = raw.Slice;
            for (var position = 0; position < slice.Length;)
            {
                var segment = slice.AccessBackingBytes(position);
                var count = Math.Min(segment.Count, slice.Length - position);
                stream.Write(segment.Array!, segment.Offset, count);
                position += count;
            }

            return;
        }

        using var writer = new BsonBinaryWriter(stream);
        BsonSerializer.Serialize(writer, document);
    }
}
