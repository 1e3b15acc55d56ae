using System.Runtime.CompilerServices;

namespace MongoAuth.Wire;

/// <summary>One whole wire message as read from a stream: its header and all its bytes (header included).</summary>
/// <param name="Header">The parsed header.</param>
/// <param name="Bytes">The message bytes, <c>Header.MessageLength</c> long, header included.</param>
internal sealed record WireMessage(MessageHeader Header, byte[] Bytes);

/// <summary>
/// Reads whole wire messages from a stream. The announced length is checked before anything is sized by it, and the
/// body buffer grows only as bytes arrive, so a peer that announces a large message and then stalls or closes costs
/// at most <see cref="WireLimits.InitialReadBuffer"/> plus twice what it actually sent.
/// </summary>
internal static class WireMessageReader
{
    /// <summary>
    /// Reads one message. Returns null when the stream ends cleanly before a new message starts; throws
    /// <see cref="EndOfStreamException"/> when it ends inside a message and <see cref="MongoProtocolException"/>
    /// when the length is below 16 or above <paramref name="maxMessageSize"/>. With <paramref name="runAsync"/>
    /// false the reads are synchronous (one code path for both APIs).
    /// </summary>
    public static async ValueTask<WireMessage?> ReadAsync(Stream stream, int maxMessageSize, bool runAsync, CancellationToken cancellationToken)
    {
        var headerBytes = new byte[MessageHeader.Size];
        var got = await ReadAtLeastAsync(stream, headerBytes, runAsync, cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            return null;
        }

        if (got < MessageHeader.Size)
        {
            throw new EndOfStreamException($"The connection closed after {got} bytes of a 16-byte message header.");
        }

        var header = MessageHeader.Read(headerBytes);
        CheckLength(header.MessageLength, maxMessageSize);

        // Start small and double: the length is the peer's claim, the bytes that arrive are the evidence.
        var bytes = new byte[Math.Min(header.MessageLength, WireLimits.InitialReadBuffer)];
        headerBytes.CopyTo(bytes, 0);
        var filled = MessageHeader.Size;
        while (true)
        {
            var read = await ReadAtLeastAsync(stream, bytes.AsMemory(filled), runAsync, cancellationToken).ConfigureAwait(false);
            filled += read;
            if (filled < bytes.Length)
            {
                throw new EndOfStreamException($"The connection closed after {filled} of {header.MessageLength} message bytes.");
            }

            if (filled == header.MessageLength)
            {
                return new WireMessage(header, bytes);
            }

            var grown = new byte[(int)Math.Min((long)bytes.Length * 2, header.MessageLength)];
            bytes.CopyTo(grown, 0);
            bytes = grown;
        }
    }

    /// <summary>Throws <see cref="MongoProtocolException"/> when an announced message length is below 16 or above <paramref name="maxMessageSize"/>.</summary>
    public static void CheckLength(int messageLength, int maxMessageSize)
    {
        if (messageLength < MessageHeader.Size)
        {
            throw new MongoProtocolException(
                $"Message length {messageLength} is outside the allowed range 16..{maxMessageSize}: shorter than the 16-byte header itself; the connection is closed.");
        }

        if (messageLength > maxMessageSize)
        {
            throw new MongoProtocolException(
                $"Message length {messageLength} is outside the allowed range 16..{maxMessageSize}: above the message size limit " +
                "(the smaller of the server's maxMessageSizeBytes and MongoClientSettings.MaxWireMessageSize); the connection is closed.");
        }
    }

    /// <summary>Writes <paramref name="message"/> and flushes, synchronously or not.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public static async ValueTask WriteAsync(Stream stream, ReadOnlyMemory<byte> message, bool runAsync, CancellationToken cancellationToken)
    {
        if (runAsync)
        {
            await stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            cancellationToken.ThrowIfCancellationRequested();
            stream.Write(message.Span);
            stream.Flush();
        }
    }

    private static async ValueTask<int> ReadAtLeastAsync(Stream stream, Memory<byte> buffer, bool runAsync, CancellationToken cancellationToken)
    {
        if (runAsync)
        {
            return await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return stream.ReadAtLeast(buffer.Span, buffer.Length, throwOnEndOfStream: false);
    }
}
