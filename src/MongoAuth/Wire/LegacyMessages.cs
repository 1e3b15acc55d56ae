using System.Buffers.Binary;
using System.Text;
using MongoDB.Bson;

namespace MongoAuth.Wire;

/// <summary>
/// A legacy OP_QUERY. Only the first handshake of older clients (the official C# driver 3.x among them) still sends
/// one: <c>isMaster</c> on <c>admin.$cmd</c>. The test server decodes it; tests encode it.
/// </summary>
/// <param name="RequestId">The request id.</param>
/// <param name="Flags">The query flags.</param>
/// <param name="FullCollectionName">e.g. <c>admin.$cmd</c>.</param>
/// <param name="NumberToSkip">Documents to skip.</param>
/// <param name="NumberToReturn">Documents to return (-1 for commands).</param>
/// <param name="Query">The query (for commands, the command document).</param>
internal sealed record OpQueryMessage(int RequestId, int Flags, string FullCollectionName, int NumberToSkip, int NumberToReturn, BsonDocument Query)
{
    /// <summary>Decodes an OP_QUERY from a whole message.</summary>
    public static OpQueryMessage Decode(in MessageHeader header, byte[] message)
    {
        if (header.OpCode != OpCode.Query)
        {
            throw new MongoProtocolException($"Expected an OP_QUERY (opCode 2004) but received opCode {(int)header.OpCode}.");
        }

        var position = MessageHeader.Size;
        if (message.Length < position + 4 + 1 + 8 + BsonSlices.MinDocumentSize)
        {
            throw new MongoProtocolException($"OP_QUERY of {message.Length} bytes is too short.");
        }

        var flags = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(position));
        position += 4;
        var nameEnd = Array.IndexOf(message, (byte)0, position);
        if (nameEnd < 0 || nameEnd + 8 >= message.Length)
        {
            throw new MongoProtocolException("OP_QUERY collection name is not terminated.");
        }

        var name = Encoding.UTF8.GetString(message, position, nameEnd - position);
        position = nameEnd + 1;
        var skip = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(position));
        var toReturn = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(position + 4));
        position += 8;
        var (query, _) = BsonSlices.Read(message, position, message.Length, "the OP_QUERY query");
        return new OpQueryMessage(header.RequestId, flags, name, skip, toReturn, query);
    }

    /// <summary>Encodes this query (used by tests that act as a legacy client).</summary>
    public byte[] Encode()
    {
        using var stream = new MemoryStream();
        stream.Position = MessageHeader.Size;
        Span<byte> int32 = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(int32, Flags);
        stream.Write(int32);
        stream.Write(Encoding.UTF8.GetBytes(FullCollectionName));
        stream.WriteByte(0);
        BinaryPrimitives.WriteInt32LittleEndian(int32, NumberToSkip);
        stream.Write(int32);
        BinaryPrimitives.WriteInt32LittleEndian(int32, NumberToReturn);
        stream.Write(int32);
        BsonSlices.Write(stream, Query);
        var bytes = stream.ToArray();
        new MessageHeader(bytes.Length, RequestId, 0, OpCode.Query).Write(bytes);
        return bytes;
    }
}

/// <summary>A legacy OP_REPLY carrying one document: the answer to an OP_QUERY handshake.</summary>
/// <param name="ResponseTo">The request id answered.</param>
/// <param name="Document">The reply document.</param>
internal sealed record OpReplyMessage(int ResponseTo, BsonDocument Document)
{
    private const int FixedFieldsSize = 4 + 8 + 4 + 4;

    /// <summary>Encodes the reply (flags 0, cursor 0, starting from 0, one document).</summary>
    public byte[] Encode(int requestId)
    {
        using var stream = new MemoryStream();
        stream.Position = MessageHeader.Size + FixedFieldsSize;
        BsonSlices.Write(stream, Document);
        var bytes = stream.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(MessageHeader.Size + 16), 1);
        new MessageHeader(bytes.Length, requestId, ResponseTo, OpCode.Reply).Write(bytes);
        return bytes;
    }

    /// <summary>Decodes a reply holding exactly one document (used by tests that act as a legacy client).</summary>
    public static OpReplyMessage Decode(in MessageHeader header, byte[] message)
    {
        if (header.OpCode != OpCode.Reply)
        {
            throw new MongoProtocolException($"Expected an OP_REPLY (opCode 1) but received opCode {(int)header.OpCode}.");
        }

        var position = MessageHeader.Size + FixedFieldsSize;
        var (document, _) = BsonSlices.Read(message, position, message.Length, "the OP_REPLY document");
        return new OpReplyMessage(header.ResponseTo, document);
    }
}
