using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace MongoAuth.Wire;

/// <summary>
/// One connection's reusable OP_MSG buffers: the request is encoded into a kept stream by a kept BSON writer, and the
/// reply is read into a kept buffer and decoded by a kept BSON reader, so a steady-state command allocates only its
/// reply document. A connection runs one request at a time, which is what makes keeping them safe. The checks are
/// those of <see cref="OpMsgMessage.Encode"/>, <see cref="WireMessageReader.ReadAsync"/> and
/// <see cref="OpMsgMessage.Decode"/>: the announced length is checked before anything is sized by it, a reply larger
/// than the kept buffer is read into arrays rented from the shared pool (sized from the announced length up to
/// <see cref="TrustedReplySize"/>, beyond that grown only as bytes arrive) and given back once decoded, and a send
/// buffer grown past <see cref="KeptBufferSize"/> by one large message goes back to the pool.
/// </summary>
internal sealed class CommandMessageBuffers
{
    /// <summary>The largest send buffer kept between messages; a larger one serves its message and goes back to the pool.</summary>
    internal const int KeptBufferSize = 16 * 1024;

    private const int InitialReceiveSize = 1024;

    /// <summary>
    /// Up to this size a reply's buffer is sized from its announced length at once (a cursor batch of 100 KB is read
    /// into one array, not through a doubling chain); past it the buffer grows only as bytes arrive, so a peer that
    /// announces a huge message and stalls costs at most this much.
    /// </summary>
    internal const int TrustedReplySize = 1024 * 1024;

    // The library's defaults (as a writer or reader made without settings has), frozen once instead of per writer.
    private static readonly BsonBinaryWriterSettings WriterSettings = (BsonBinaryWriterSettings)new BsonBinaryWriterSettings().FrozenCopy();
    private static readonly BsonBinaryReaderSettings ReaderSettings = (BsonBinaryReaderSettings)new BsonBinaryReaderSettings().FrozenCopy();

    private readonly PooledBufferStream _send = new(256);
    private readonly Func<byte[], int, int, BsonDocument> _readDocument;
    private BsonBinaryWriter? _writer;
    private BsonSerializationContext? _writeContext;
    private readonly ByteSliceStream _body = new();
    private readonly byte[] _receive = new byte[InitialReceiveSize];
    private BsonBinaryReader? _reader;
    private BsonDeserializationContext? _readContext;
    private IBsonSerializer<BsonDocument>? _bodySerializer;

    public CommandMessageBuffers() => _readDocument = ReadDocument;

    /// <summary>
    /// Encodes an OP_MSG whose first section is the kind-0 body: the elements of <paramref name="command"/>, then those
    /// of <paramref name="additions"/> (<c>$db</c>, the Stable API fields, <c>$readPreference</c>, <c>maxTimeMS</c>),
    /// which replace command elements of the same name. Nothing is copied: the caller's document is written as it is.
    /// A <paramref name="sequence"/> follows the body as a kind-1 section, its documents serialised straight into the
    /// message (<see cref="DocumentSequenceWriter"/>: it says how many fitted). The bytes stay valid until the next
    /// call. Throws <see cref="MongoProtocolException"/> when the body or a sequence document exceeds
    /// <paramref name="maxDocumentSize"/> or the message exceeds <paramref name="maxMessageSize"/>.
    /// </summary>
    public ReadOnlyMemory<byte> Encode(BsonDocument command, BsonDocument additions, int requestId, int maxMessageSize, int maxDocumentSize,
        OpMsgFlags flags = OpMsgFlags.None, DocumentSequenceWriter? sequence = null)
    {
        // Grown by one large message: its array goes back to the pool rather than being kept for the small ones that follow.
        var stream = _send;
        stream.Clear(KeptBufferSize);
        stream.Position = MessageHeader.Size;
        Span<byte> flagsAndKind = [0, 0, 0, 0, 0]; // flags, then section kind 0
        BinaryPrimitives.WriteUInt32LittleEndian(flagsAndKind, (uint)flags);
        stream.Write(flagsAndKind);
        var start = stream.Position;
        try
        {
            if (_writer is not { } writer || _writeContext is not { } context)
            {
                writer = _writer = new BsonBinaryWriter(stream, WriterSettings);
                context = _writeContext = BsonSerializationContext.CreateRoot(writer);
            }

            writer.WriteStartDocument();
            for (var i = 0; i < command.ElementCount; i++)
            {
                var element = command.GetElement(i);
                if (!additions.Contains(element.Name))
                {
                    writer.WriteName(element.Name);
                    BsonValueSerializer.Instance.Serialize(context, element.Value);
                }
            }

            for (var i = 0; i < additions.ElementCount; i++)
            {
                var element = additions.GetElement(i);
                writer.WriteName(element.Name);
                BsonValueSerializer.Instance.Serialize(context, element.Value);
            }

            writer.WriteEndDocument();
            var size = stream.Position - start;
            if (size > maxDocumentSize)
            {
                throw new MongoProtocolException($"BSON document in the command body is {size} bytes, more than the server's maxBsonObjectSize of {maxDocumentSize}.");
            }

            sequence?.WriteSection(stream, context, maxMessageSize, maxDocumentSize);
        }
        catch (Exception e) when (e is not MongoProtocolException)
        {
            // A writer that failed half-way is in no state to start the next document.
            _writer = null;
            _writeContext = null;
            throw;
        }

        var length = checked((int)stream.Length);
        if (length > maxMessageSize)
        {
            throw new MongoProtocolException($"The message is {length} bytes, more than the server's maxMessageSizeBytes of {maxMessageSize}.");
        }

        var bytes = stream.GetBuffer();
        new MessageHeader(length, requestId, 0, OpCode.Msg).Write(bytes);
        return bytes.AsMemory(0, length);
    }

    /// <summary>
    /// Reads one OP_MSG reply and returns its body, read by <paramref name="bodySerializer"/> when given (the data API
    /// reads cursor batches straight into the application's type with it; it must keep nothing of the message's bytes,
    /// which go back to the pool once it returns). Throws <see cref="EndOfStreamException"/> when the stream ends
    /// (before or inside the message), <see cref="MongoProtocolException"/> when the length is below 16 or above
    /// <paramref name="maxMessageSize"/>, the message is not a well-formed OP_MSG or answers another request.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<BsonDocument> ReadReplyAsync(Stream stream, int requestId, int maxMessageSize, bool runAsync, CancellationToken cancellationToken,
        IBsonSerializer<BsonDocument>? bodySerializer = null)
    {
        var buffer = _receive;
        var got = await ReadAtLeastAsync(stream, buffer.AsMemory(0, MessageHeader.Size), runAsync, cancellationToken).ConfigureAwait(false);
        if (got < MessageHeader.Size)
        {
            throw got == 0
                ? new EndOfStreamException("The server closed the connection.")
                : new EndOfStreamException($"The connection closed after {got} bytes of a 16-byte message header.");
        }

        var header = MessageHeader.Read(buffer);
        WireMessageReader.CheckLength(header.MessageLength, maxMessageSize);
        if (header.MessageLength > buffer.Length)
        {
            // Larger than the kept buffer: a pooled array sized from the claim, but never more than TrustedReplySize on its word.
            var rented = ArrayPool<byte>.Shared.Rent(Math.Min(header.MessageLength, TrustedReplySize));
            buffer.AsSpan(0, MessageHeader.Size).CopyTo(rented);
            buffer = rented;
        }

        try
        {
            var filled = MessageHeader.Size;
            while (true)
            {
                var want = Math.Min(header.MessageLength, buffer.Length);
                var read = await ReadAtLeastAsync(stream, buffer.AsMemory(filled, want - filled), runAsync, cancellationToken).ConfigureAwait(false);
                filled += read;
                if (filled < want)
                {
                    throw new EndOfStreamException($"The connection closed after {filled} of {header.MessageLength} message bytes.");
                }

                if (filled == header.MessageLength)
                {
                    break;
                }

                // Past TrustedReplySize, double as bytes arrive: the length is the peer's claim, the bytes that arrive are the evidence.
                var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, header.MessageLength));
                buffer.AsSpan(0, filled).CopyTo(grown);
                ReturnRented(buffer);
                buffer = grown;
            }

            _bodySerializer = bodySerializer;
            var body = OpMsgMessage.DecodeBody(header, buffer, header.MessageLength, _readDocument);
            return header.ResponseTo == requestId
                ? body
                : throw new MongoProtocolException($"The reply answers request {header.ResponseTo}, not {requestId}.");
        }
        finally
        {
            _bodySerializer = null;
            ReturnRented(buffer);
        }
    }

    /// <summary>Gives a reply array back to the pool unless it is the kept one (the decoded reply holds none of its bytes).</summary>
    private void ReturnRented(byte[] buffer)
    {
        if (buffer != _receive)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads the BSON document at <paramref name="offset"/> of <paramref name="buffer"/> (bounds already checked).</summary>
    private BsonDocument ReadDocument(byte[] buffer, int offset, int length)
    {
        // Bounded by the document, as a stream over just its bytes would be: a length inside it that claims more finds the end.
        _body.Reset(buffer, offset, length);
        try
        {
            if (_reader is null || _readContext is null)
            {
                _reader = new BsonBinaryReader(_body, ReaderSettings);
                _readContext = BsonDeserializationContext.CreateRoot(_reader);
            }

            return (_bodySerializer ?? BsonDocumentSerializer.Instance).Deserialize(_readContext);
        }
        catch
        {
            // A reader that failed half-way is in no state to start the next document.
            _reader = null;
            _readContext = null;
            throw;
        }
    }

    private static ValueTask<int> ReadAtLeastAsync(Stream stream, Memory<byte> buffer, bool runAsync, CancellationToken cancellationToken)
    {
        if (runAsync)
        {
            return stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<int>(stream.ReadAtLeast(buffer.Span, buffer.Length, throwOnEndOfStream: false));
    }
}
