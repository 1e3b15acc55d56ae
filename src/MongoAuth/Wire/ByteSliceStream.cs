namespace MongoAuth.Wire;

/// <summary>
/// A read-only stream over one slice of a byte array that can be pointed at another slice without allocating: the
/// kept BSON reader of <see cref="CommandMessageBuffers"/> reads each reply's body through it, bounded by that body
/// exactly as a new <see cref="MemoryStream"/> over the slice would bound it (reading past the end finds the end).
/// A reader of a cursor reply uses its buffer and position to read each batch document with a second reader.
/// </summary>
internal sealed class ByteSliceStream : Stream
{
    private byte[] _buffer = [];
    private int _start;
    private int _end;
    private int _position;

    /// <summary>Points the stream at <paramref name="length"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>, positioned at their start.</summary>
    public void Reset(byte[] buffer, int offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, buffer.Length - length);
        (_buffer, _start, _end, _position) = (buffer, offset, offset + length, offset);
    }

    /// <summary>The array the slice is in.</summary>
    public byte[] Buffer => _buffer;

    /// <summary>The position as an index into <see cref="Buffer"/>.</summary>
    public int BufferPosition => _position;

    /// <summary>Where the slice ends in <see cref="Buffer"/> (exclusive).</summary>
    public int BufferEnd => _end;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _end - _start;

    public override long Position
    {
        get => _position - _start;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = (int)Math.Min(_end, _start + value);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _end - _position);
        _buffer.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override int ReadByte() => _position < _end ? _buffer[_position++] : -1;

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => Length + offset,
        };
        return Position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
