using System.Buffers.Binary;
using System.Text;
using MongoDB.Bson;

namespace MongoAuth.Wire;

/// <summary>An OP_MSG: flags, one kind-0 body and any number of kind-1 document sequences.</summary>
internal sealed class OpMsgMessage
{
    /// <summary>Bits 0–15 are required: a receiver must refuse a message with one it does not know.</summary>
    private const uint RequiredBitsMask = 0xFFFF;
    private const uint KnownRequiredBits = (uint)(OpMsgFlags.ChecksumPresent | OpMsgFlags.MoreToCome);

    /// <summary>Creates a message.</summary>
    public OpMsgMessage(BsonDocument body, OpMsgFlags flags = OpMsgFlags.None, IReadOnlyList<DocumentSequence>? sequences = null)
    {
        Body = body;
        Flags = flags;
        Sequences = sequences ?? [];
    }

    /// <summary>The kind-0 section; the command name is its first key.</summary>
    public BsonDocument Body { get; }

    /// <summary>The flag bits.</summary>
    public OpMsgFlags Flags { get; }

    /// <summary>Kind-1 sections.</summary>
    public IReadOnlyList<DocumentSequence> Sequences { get; }

    /// <summary>The request id (set when encoded or decoded).</summary>
    public int RequestId { get; init; }

    /// <summary>The request this message answers.</summary>
    public int ResponseTo { get; init; }

    /// <summary>
    /// Encodes the whole message (header included). A checksum is appended when
    /// <see cref="OpMsgFlags.ChecksumPresent"/> is set. Throws when the message exceeds
    /// <paramref name="maxMessageSize"/> or a document exceeds <paramref name="maxDocumentSize"/>.
    /// </summary>
    public byte[] Encode(int maxMessageSize = WireLimits.DefaultMaxMessageSize, int maxDocumentSize = WireLimits.DefaultMaxDocumentSize)
    {
        using var stream = new MemoryStream(EstimateSize());
        stream.Position = MessageHeader.Size;
        Span<byte> int32 = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(int32, (uint)Flags);
        stream.Write(int32);

        stream.WriteByte(0);
        WriteDocument(stream, Body, maxDocumentSize, "the command body");

        foreach (var sequence in Sequences)
        {
            stream.WriteByte(1);
            var sizePosition = stream.Position;
            stream.Write(int32); // placeholder for the section size
            var name = Encoding.UTF8.GetBytes(sequence.Identifier);
            stream.Write(name);
            stream.WriteByte(0);
            foreach (var document in sequence.Documents)
            {
                WriteDocument(stream, document, maxDocumentSize, $"sequence '{sequence.Identifier}'");
            }

            var end = stream.Position;
            stream.Position = sizePosition;
            BinaryPrimitives.WriteInt32LittleEndian(int32, checked((int)(end - sizePosition)));
            stream.Write(int32);
            stream.Position = end;
        }

        if ((Flags & OpMsgFlags.ChecksumPresent) != 0)
        {
            stream.Write(int32); // room for the checksum
        }

        var bytes = stream.ToArray();
        if (bytes.Length > maxMessageSize)
        {
            throw new MongoProtocolException($"The message is {bytes.Length} bytes, more than the server's maxMessageSizeBytes of {maxMessageSize}.");
        }

        new MessageHeader(bytes.Length, RequestId, ResponseTo, OpCode.Msg).Write(bytes);
        if ((Flags & OpMsgFlags.ChecksumPresent) != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)));
        }

        return bytes;
    }

    /// <summary>
    /// The encoded size when the sequences hold already-serialised documents, so the buffer is allocated once instead
    /// of doubling its way up; a guess otherwise. (A connection encodes its requests into its kept buffers instead:
    /// <see cref="CommandMessageBuffers.Encode"/>.)
    /// </summary>
    private int EstimateSize()
    {
        long size = 256;
        foreach (var sequence in Sequences)
        {
            size += 5 + (sequence.Identifier.Length * 3) + 1;
            foreach (var document in sequence.Documents)
            {
                size += document is RawBsonDocument raw ? raw.Slice.Length : 256;
            }
        }

        return (int)Math.Min(size, WireLimits.DefaultMaxMessageSize);
    }

    /// <summary>
    /// Decodes an OP_MSG whose header has been read; <paramref name="message"/> holds the whole message.
    /// <paramref name="bodySerializer"/> reads the body section (default: a plain <see cref="BsonDocument"/>).
    /// </summary>
    public static OpMsgMessage Decode(in MessageHeader header, byte[] message, MongoDB.Bson.Serialization.IBsonSerializer<BsonDocument>? bodySerializer = null)
    {
        var sequences = new List<DocumentSequence>();
        var (body, flags) = DecodeSections(header, message, message.Length, bodySerializer, decode: null, sequences);
        return new OpMsgMessage(body, (OpMsgFlags)flags, sequences)
        {
            RequestId = header.RequestId,
            ResponseTo = header.ResponseTo,
        };
    }

    /// <summary>
    /// The body of an OP_MSG reply held in the first <paramref name="length"/> bytes of <paramref name="message"/>,
    /// with every check of <see cref="Decode"/> (document sequences are checked and dropped); the body is decoded by
    /// <paramref name="decode"/> (a connection's kept reader).
    /// </summary>
    public static BsonDocument DecodeBody(in MessageHeader header, byte[] message, int length, Func<byte[], int, int, BsonDocument> decode) =>
        DecodeSections(header, message, length, bodySerializer: null, decode, sequences: null).Body;

    private static (BsonDocument Body, uint Flags) DecodeSections(
        in MessageHeader header, byte[] message, int length, MongoDB.Bson.Serialization.IBsonSerializer<BsonDocument>? bodySerializer,
        Func<byte[], int, int, BsonDocument>? decode, List<DocumentSequence>? sequences)
    {
        if (header.OpCode != OpCode.Msg)
        {
            throw new MongoProtocolException($"Expected an OP_MSG (opCode 2013) but received opCode {(int)header.OpCode}.");
        }

        var end = length;
        if (end < MessageHeader.Size + 4 + 1 + BsonSlices.MinDocumentSize)
        {
            throw new MongoProtocolException($"OP_MSG of {end} bytes is too short to hold flags and a body section.");
        }

        var flags = BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(MessageHeader.Size));
        var unknownRequired = flags & RequiredBitsMask & ~KnownRequiredBits;
        if (unknownRequired != 0)
        {
            throw new MongoProtocolException($"OP_MSG has unknown required flag bits 0x{unknownRequired:X4}; the connection is closed.");
        }

        if ((flags & (uint)OpMsgFlags.ChecksumPresent) != 0)
        {
            end -= 4;
            var expected = BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(end));
            var actual = Crc32C.Compute(message.AsSpan(0, end));
            if (expected != actual)
            {
                throw new MongoProtocolException($"OP_MSG checksum mismatch (expected 0x{expected:X8}, computed 0x{actual:X8}).");
            }
        }

        BsonDocument? body = null;
        var position = MessageHeader.Size + 4;
        while (position < end)
        {
            var kind = message[position++];
            switch (kind)
            {
                case 0:
                    if (body is not null)
                    {
                        throw new MongoProtocolException("OP_MSG has more than one body (kind 0) section.");
                    }

                    (body, var size) = BsonSlices.Read(message, position, end, "the OP_MSG body section", bodySerializer, decode);
                    position += size;
                    break;
                case 1:
                    position = ReadSequence(message, position, end, sequences ??= []);
                    break;
                default:
                    throw new MongoProtocolException($"OP_MSG has an unknown section kind {kind}; the connection is closed.");
            }
        }

        if (body is null)
        {
            throw new MongoProtocolException("OP_MSG has no body (kind 0) section.");
        }

        return (body, flags);
    }

    private static int ReadSequence(byte[] message, int position, int end, List<DocumentSequence> sequences)
    {
        if (end - position < 4)
        {
            throw new MongoProtocolException("OP_MSG document sequence is truncated before its size.");
        }

        var size = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(position));
        if (size < 5 || size > end - position)
        {
            throw new MongoProtocolException($"OP_MSG document sequence size {size} does not fit the {end - position} bytes left.");
        }

        var sectionEnd = position + size;
        var nameStart = position + 4;
        var nameEnd = Array.IndexOf(message, (byte)0, nameStart, sectionEnd - nameStart);
        if (nameEnd < 0)
        {
            throw new MongoProtocolException("OP_MSG document sequence identifier is not terminated.");
        }

        var identifier = Encoding.UTF8.GetString(message, nameStart, nameEnd - nameStart);
        if (sequences.Exists(s => s.Identifier == identifier))
        {
            throw new MongoProtocolException($"OP_MSG repeats the document sequence identifier '{identifier}'.");
        }

        var documents = new List<BsonDocument>();
        var cursor = nameEnd + 1;
        while (cursor < sectionEnd)
        {
            var (document, length) = BsonSlices.Read(message, cursor, sectionEnd, $"document sequence '{identifier}'");
            documents.Add(document);
            cursor += length;
        }

        sequences.Add(new DocumentSequence(identifier, documents));
        return sectionEnd;
    }

    private static void WriteDocument(MemoryStream stream, BsonDocument document, int maxDocumentSize, string what)
    {
        var start = stream.Position;
        BsonSlices.Write(stream, document);
        var size = stream.Position - start;
        if (size > maxDocumentSize)
        {
            throw new MongoProtocolException($"BSON document in {what} is {size} bytes, more than the server's maxBsonObjectSize of {maxDocumentSize}.");
        }
    }
}
