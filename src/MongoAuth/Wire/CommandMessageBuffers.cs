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
/// <see cref="OpMsgMessage.Decode"/>: the announced length is checked before anything is sized by it, the buffer grows
/// only as bytes arrive, and a buffer grown past <see cref="KeptBufferSize"/> by one large message is not kept.
/// </summary>
internal sealed class CommandMessageBuffers
{
    /// <summary>The largest buffer kept between messages; a larger one serves its message and is dropped.</summary>
    internal const int KeptBufferSize = 16 * 1024;

    private const int InitialReceiveSize = 1024;

    // The library's defaults (as a writer or reader made without settings has), frozen once instead of per writer.
    private static readonly BsonBinaryWriterSettings WriterSettings = (BsonBinaryWriterSettings)new BsonBinaryWriterSettings().FrozenCopy();
    private static readonly BsonBinaryReaderSettings ReaderSettings = (BsonBinaryReaderSettings)new BsonBinaryReaderSettings().FrozenCopy();

    private MemoryStream _send = new(256);
    private readonly Func<byte[], int, int, BsonDocument> _readDocument;
    private BsonBinaryWriter? _writer;
    private BsonSerializationContext? _writeContext;
    private readonly ByteSliceStream _body = new();
    private byte[] _receive = new byte[InitialReceiveSize];
    private BsonBinaryReader? _reader;
    private BsonDeserializationContext? _readContext;

    public CommandMessageBuffers() => _readDocument = ReadDocument;

    /// <summary>
    /// Encodes an OP_MSG whose only section is the kind-0 body: the elements of <paramref name="command"/>, then those
    /// of <paramref name="additions"/> (<c>$db</c>, the Stable API fields, <c>$readPreference</c>, <c>maxTimeMS</c>),
    /// which replace command elements of the same name. Nothing is copied: the caller's document is written as it is.
    /// The bytes stay valid until the next call. Throws <see cref="MongoProtocolException"/> when the body exceeds
    /// <paramref name="maxDocumentSize"/> or the message exceeds <paramref name="maxMessageSize"/>.
    /// </summary>
    public ReadOnlyMemory<byte> Encode(BsonDocument command, BsonDocument additions, int requestId, int maxMessageSize, int maxDocumentSize)
    {
        if (_send.Capacity > KeptBufferSize)
        {
            // Grown by one large command: not kept for the small ones that follow.
            (_send, _writer, _writeContext) = (new MemoryStream(256), null, null);
        }

        var stream = _send;
        stream.SetLength(0);
        stream.Position = MessageHeader.Size;
        Span<byte> flagsAndKind = [0, 0, 0, 0, 0]; // flags 0, then section kind 0
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
        }
        catch
        {
            // A writer that failed half-way is in no state to start the next document.
            _writer = null;
            _writeContext = null;
            throw;
        }

        var size = stream.Position - start;
        if (size > maxDocumentSize)
        {
            throw new MongoProtocolException($"BSON document in the command body is {size} bytes, more than the server's maxBsonObjectSize of {maxDocumentSize}.");
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
    /// Reads one OP_MSG reply and returns its body. Throws <see cref="EndOfStreamException"/> when the stream ends
    /// (before or inside the message), <see cref="MongoProtocolException"/> when the length is below 16 or above
    /// <paramref name="maxMessageSize"/>, the message is not a well-formed OP_MSG or answers another request.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<BsonDocument> ReadReplyAsync(Stream stream, int requestId, int maxMessageSize, bool runAsync, CancellationToken cancellationToken)
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

            // Double as bytes arrive: the length is the peer's claim, the bytes that arrive are the evidence.
            var grown = new byte[(int)Math.Min((long)buffer.Length * 2, header.MessageLength)];
            buffer.AsSpan(0, filled).CopyTo(grown);
            buffer = grown;
        }

        if (buffer.Length <= KeptBufferSize)
        {
            // Grown for a reply of a few KB: kept for the next ones. A larger one serves this reply only.
            _receive = buffer;
        }

        var body = OpMsgMessage.DecodeBody(header, buffer, header.MessageLength, _readDocument);
        return header.ResponseTo == requestId
            ? body
            : throw new MongoProtocolException($"The reply answers request {header.ResponseTo}, not {requestId}.");
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

            return BsonDocumentSerializer.Instance.Deserialize(_readContext);
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
