namespace MongoAuth.TestServer.FailPoints;

/// <summary>
/// A <c>failCommand</c> fail point, as mongod's <c>configureFailPoint</c> sets it: which commands it hits, how often,
/// and what it does (block, then close the connection or answer with an error).
/// </summary>
public sealed class FailCommand
{
    /// <summary>The command names it applies to (compared exactly, e.g. <c>saslContinue</c>).</summary>
    public required IReadOnlyCollection<string> Commands { get; init; }

    /// <summary>How many commands it fails before turning itself off; null = alwaysOn.</summary>
    public int? Times { get; init; }

    /// <summary>How many matching commands pass untouched before it starts to act (mongod's <c>{skip: n}</c> mode),
    /// e.g. 1 with <c>saslContinue</c> hits the second saslContinue.</summary>
    public int Skip { get; init; }

    /// <summary>The error code of the <c>ok:0</c> reply; null answers normally (after any block).</summary>
    public int? ErrorCode { get; init; }

    /// <summary>Whether to close the connection instead of answering.</summary>
    public bool CloseConnection { get; init; }

    /// <summary>How long to hold the command before acting (blockConnection/blockTimeMS); null = no delay.</summary>
    public TimeSpan? BlockTime { get; init; }

    /// <summary>Error labels added to the error reply.</summary>
    public IReadOnlyList<string> ErrorLabels { get; init; } = [];

    /// <summary>When set, only connections whose handshake named this appName are hit.</summary>
    public string? AppName { get; init; }
}
