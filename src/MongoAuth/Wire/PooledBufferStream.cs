using System.Buffers;

namespace MongoAuth.Wire;

/// <summary>
/// A write-only, seekable stream over one byte array that grows with arrays rented from <see cref="ArrayPool{T}.Shared"/>
/// (each grown array goes back to the pool when a larger one replaces it): a connection encodes every outgoing message
/// into one, so a message of 100 KB (an <c>insert</c> of 1,000 small documents) costs no new array once the pool holds
/// arrays of that size. <see cref="Clear"/> gives an array larger than the caller keeps back to the pool.
/// </summary>
internal sealed class PooledBufferStream : Stream
{
    private readonly byte[] _own;
    private byte[] _buffer;
    private int _length;
    private int _position;

    /// <summary>A stream over a small array of its own of <paramref name="initialCapacity"/> bytes.</summary>
    public PooledBufferStream(int initialCapacity) => _buffer = _own = new byte[initialCapacity];

    /// <summary>The current array: the stream's bytes are its first <see cref="Length"/> (valid until the next write or <see cref="Clear"/>).</summary>
    public byte[] GetBuffer() => _buffer;

    /// <summary>The current array's size.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Empties the stream; an array grown past <paramref name="largestKept"/> bytes goes back to the pool.</summary>
    public void Clear(int largestKept)
    {
        if (_buffer.Length > largestKept && _buffer != _own)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = _own;
        }

        _length = 0;
        _position = 0;
    }

    public override bool CanRead => false;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Array.MaxLength);
            _position = (int)value;
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var end = Reserve(buffer.Length);
        buffer.CopyTo(_buffer.AsSpan(_position));
        _position = end;
        _length = Math.Max(_length, end);
    }

    public override void WriteByte(byte value)
    {
        var end = Reserve(1);
        _buffer[_position] = value;
        _position = end;
        _length = Math.Max(_length, end);
    }

    public override void SetLength(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Array.MaxLength);
        var length = (int)value;
        if (length > _length)
        {
            EnsureCapacity(length);
            _buffer.AsSpan(_length, length - _length).Clear();
        }

        _length = length;
        _position = Math.Min(_position, length);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer != _own)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = _own;
        }

        base.Dispose(disposing);
    }

    /// <summary>Room for <paramref name="count"/> bytes at the position (a gap left by seeking past the end reads as zeros); returns where they end.</summary>
    private int Reserve(int count)
    {
        var end = (long)_position + count;
        if (end > Array.MaxLength)
        {
            throw new IOException($"A message cannot exceed {Array.MaxLength} bytes.");
        }

        EnsureCapacity((int)end);
        if (_position > _length)
        {
            _buffer.AsSpan(_length, _position - _length).Clear();
        }

        return (int)end;
    }

    private void EnsureCapacity(int capacity)
    {
        if (capacity <= _buffer.Length)
        {
            return;
        }

        var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(capacity, (long)_buffer.Length * 2), Array.MaxLength));
        _buffer.AsSpan(0, _length).CopyTo(grown);
        if (_buffer != _own)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = grown;
    }
}
