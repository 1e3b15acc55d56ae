using System.Buffers.Binary;

namespace MongoAuth.Wire;

/// <summary>The 16-byte header of every wire message (all fields little-endian).</summary>
/// <param name="MessageLength">Total length including the header.</param>
/// <param name="RequestId">Identifier of this message.</param>
/// <param name="ResponseTo">Request id this message answers (0 for requests).</param>
/// <param name="OpCode">The operation code.</param>
internal readonly record struct MessageHeader(int MessageLength, int RequestId, int ResponseTo, OpCode OpCode)
{
    /// <summary>Size of the header in bytes.</summary>
    public const int Size = 16;

    /// <summary>Reads a header from the first 16 bytes of <paramref name="source"/>.</summary>
    public static MessageHeader Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadInt32LittleEndian(source),
        BinaryPrimitives.ReadInt32LittleEndian(source[4..]),
        BinaryPrimitives.ReadInt32LittleEndian(source[8..]),
        (OpCode)BinaryPrimitives.ReadInt32LittleEndian(source[12..]));

    /// <summary>Writes the header into the first 16 bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, MessageLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], RequestId);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], ResponseTo);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], (int)OpCode);
    }
}

/// <summary>Process-wide request ids: positive, increasing, never reused within a connection's lifetime.</summary>
internal static class RequestIds
{
    private static int s_last;

    /// <summary>The next request id.</summary>
    public static int Next()
    {
        var id = Interlocked.Increment(ref s_last) & int.MaxValue;
        return id == 0 ? Next() : id;
    }
}
