namespace MongoAuth.Wire;

/// <summary>OP_MSG flag bits.</summary>
[Flags]
internal enum OpMsgFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>Bit 0: a CRC-32C checksum follows the sections.</summary>
    ChecksumPresent = 1 << 0,
    /// <summary>Bit 1: another message follows without a request (replies) or no reply is wanted (requests).</summary>
    MoreToCome = 1 << 1,
    /// <summary>Bit 16: the client accepts exhaust replies.</summary>
    ExhaustAllowed = 1 << 16,
}
