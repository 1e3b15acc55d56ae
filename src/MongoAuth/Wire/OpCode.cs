namespace MongoAuth.Wire;

/// <summary>Wire-protocol operation codes this driver reads or writes.</summary>
internal enum OpCode
{
    /// <summary>Legacy reply to OP_QUERY (only the handshake of old clients uses it).</summary>
    Reply = 1,
    /// <summary>Legacy query (only the handshake of old clients uses it).</summary>
    Query = 2004,
    /// <summary>Compressed message (not supported yet).</summary>
    Compressed = 2012,
    /// <summary>The extensible message format every command uses.</summary>
    Msg = 2013,
}
