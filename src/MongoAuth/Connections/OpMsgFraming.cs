using System.Buffers.Binary;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;

namespace MongoAuth.Connections;

/// <summary>
/// The connection's only contact with the wire format: one OP_MSG command out, one reply document in.
/// TODO(merge): delegate to <c>MongoAuth.Wire</c> (WireMessageWriter / WireMessageReader / OpMsgMessage) once the
/// coordinator's wire layer is on this branch; this minimal framing exists only so the engine builds and is tested.
/// </summary>
internal static class OpMsgFraming
{
    private const int HeaderLength = 16;
    private const int OpMsg = 2013;
    private const uint MoreToCome = 1u << 1;
    private const uint ChecksumPresent = 1u;

    public static byte[] Encode(int requestId, BsonDocument command, int responseTo = 0)
    {
        var body = command.ToBson();
        var length = HeaderLength + 4 + 1 + body.Length;
        var bytes = new byte[length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), requestId);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), responseTo);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), OpMsg);
        bytes[20] = 0; // kind 0
        body.CopyTo(bytes, 21);
        return bytes;
    }

    public static async ValueTask<(int RequestId, int ResponseTo, BsonDocument Body, bool MoreToCome)> ReadAsync(
        Stream stream, int maxMessageSize, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderLength];
        await stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < HeaderLength + 5 || length > maxMessageSize)
        {
            throw new MongoProtocolViolation($"the server sent a message length of {length} bytes (allowed: {HeaderLength + 5} to {maxMessageSize})");
        }
        var requestId = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
        var responseTo = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
        var opCode = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
        var rest = new byte[length - HeaderLength];
        await stream.ReadExactlyAsync(rest, cancellationToken).ConfigureAwait(false);
        if (opCode != OpMsg)
        {
            throw new MongoProtocolViolation($"the server sent opCode {opCode}; only OP_MSG (2013) is expected");
        }
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(rest);
        if ((flags & 0xFFFF & ~(MoreToCome | ChecksumPresent)) != 0)
        {
            throw new MongoProtocolViolation($"the server set unknown required OP_MSG flag bits 0x{flags & 0xFFFF:X4}");
        }
        var end = rest.Length - ((flags & ChecksumPresent) != 0 ? 4 : 0);
        BsonDocument? body = null;
        var position = 4;
        while (position < end)
        {
            var kind = rest[position++];
            if (kind != 0)
            {
                throw new MongoProtocolViolation($"the server sent OP_MSG section kind {kind}; a reply carries one kind-0 body");
            }
            if (end - position < 5)
            {
                throw new MongoProtocolViolation("the server sent a truncated OP_MSG body");
            }
            var size = BinaryPrimitives.ReadInt32LittleEndian(rest.AsSpan(position));
            if (size < 5 || size > end - position)
            {
                throw new MongoProtocolViolation($"the server sent a BSON document of {size} bytes in a section of {end - position} bytes");
            }
            try
            {
                using var reader = new BsonBinaryReader(new MemoryStream(rest, position, size, writable: false));
                body = BsonSerializer.Deserialize<BsonDocument>(reader);
            }
            catch (Exception e) when (e is FormatException or EndOfStreamException or BsonSerializationException)
            {
                throw new MongoProtocolViolation($"the server sent malformed BSON ({e.Message})");
            }
            position += size;
        }
        return body is null
            ? throw new MongoProtocolViolation("the server sent an OP_MSG without a body")
            : (requestId, responseTo, body, (flags & MoreToCome) != 0);
    }
}

/// <summary>TODO(merge): replaced by the wire layer's MongoProtocolException.</summary>
internal sealed class MongoProtocolViolation(string message) : Exception(message);
