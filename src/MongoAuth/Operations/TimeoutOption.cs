namespace MongoAuth.Operations;

/// <summary>The option that set a deadline, so a timeout error can name it.</summary>
internal enum TimeoutOption : byte
{
    /// <summary>No deadline.</summary>
    None,

    /// <summary><c>timeoutMS</c>: the whole operation (client-side operations timeout).</summary>
    TimeoutMS,

    /// <summary><c>connectTimeoutMS</c>: establishing one connection (TCP, TLS, hello, authentication).</summary>
    ConnectTimeoutMS,

    /// <summary><c>socketTimeoutMS</c>: one command's I/O.</summary>
    SocketTimeoutMS,

    /// <summary><c>waitQueueTimeoutMS</c>: the wait for a pooled connection.</summary>
    WaitQueueTimeoutMS,

    /// <summary><c>serverSelectionTimeoutMS</c>: finding a usable server (and the pool wait when waitQueueTimeoutMS is not set).</summary>
    ServerSelectionTimeoutMS,
}
