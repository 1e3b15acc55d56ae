using System.Buffers.Binary;

namespace MongoAuth.TestServer.Tls;

/// <summary>
/// Passes a TLS server's bytes through unchanged and reads the ServerHello it writes (the one handshake message sent in
/// the clear, RFC 8446 §4.1.3) to tell whether the handshake resumed a session: a TLS 1.3 server that accepts the
/// client's pre-shared key (a session ticket) echoes the <c>pre_shared_key</c> extension (41) in its ServerHello, and
/// only then (§4.2.11). .NET has no API that says whether a handshake resumed, so tests see it here, on the wire.
/// </summary>
internal sealed class TlsResumptionWatcher(Stream inner) : Stream
{
    private const byte HandshakeRecord = 22;
    private const byte ServerHelloMessage = 2;
    private const ushort SupportedVersionsExtension = 43;
    private const ushort PreSharedKeyExtension = 41;
    private const ushort Tls13 = 0x0304;

    // A HelloRetryRequest is a ServerHello with this random (RFC 8446 §4.1.3); the real ServerHello follows it.
    private static ReadOnlySpan<byte> HelloRetryRandom =>
    [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ];

    private byte[] _written = [];
    private bool _done;

    /// <summary>
    /// After the handshake: true when the server resumed a TLS 1.3 session, false when it ran a full handshake,
    /// null when it did not speak TLS 1.3 (or wrote no ServerHello).
    /// </summary>
    public bool? Resumed { get; private set; }

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Watch(buffer);
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Watch(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>Collects the server's first bytes until its first handshake record is complete, then reads it.</summary>
    private void Watch(ReadOnlySpan<byte> bytes)
    {
        if (_done)
        {
            return;
        }

        _written = [.. _written, .. bytes];
        while (!_done && _written.Length >= 5)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(_written.AsSpan(3));
            if (_written.Length < 5 + length)
            {
                return;
            }

            var record = _written.AsSpan(5, length);
            var helloRetry = false;
            if (_written[0] == HandshakeRecord && record.Length > 38 && record[0] == ServerHelloMessage)
            {
                helloRetry = record.Slice(6, 32).SequenceEqual(HelloRetryRandom);
                if (!helloRetry)
                {
                    Resumed = ReadServerHello(record);
                }
            }

            _written = _written[(5 + length)..];
            _done = !helloRetry;
        }

        if (_done)
        {
            _written = [];
        }
    }

    /// <summary>The ServerHello's answer (see <see cref="Resumed"/>); null when it is cut short or not TLS 1.3.</summary>
    private static bool? ReadServerHello(ReadOnlySpan<byte> message)
    {
        // type(1) length(3) legacy_version(2) random(32) session_id(1 + n) cipher_suite(2) compression(1) extensions(2 + n)
        var at = 4 + 2 + 32;
        if (message.Length <= at)
        {
            return null;
        }

        at += 1 + message[at] + 2 + 1;
        if (message.Length < at + 2)
        {
            return null;
        }

        var end = Math.Min(message.Length, at + 2 + BinaryPrimitives.ReadUInt16BigEndian(message[at..]));
        at += 2;
        bool tls13 = false, psk = false;
        while (at + 4 <= end)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(message[at..]);
            var size = BinaryPrimitives.ReadUInt16BigEndian(message[(at + 2)..]);
            var data = message.Slice(at + 4, Math.Min(size, end - at - 4));
            tls13 |= type == SupportedVersionsExtension && data.Length == 2 && BinaryPrimitives.ReadUInt16BigEndian(data) == Tls13;
            psk |= type == PreSharedKeyExtension;
            at += 4 + size;
        }

        return tls13 ? psk : null;
    }
}
