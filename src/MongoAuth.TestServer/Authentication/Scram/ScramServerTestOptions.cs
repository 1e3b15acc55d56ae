namespace MongoAuth.TestServer.Authentication.Scram;

/// <summary>
/// Test-only misbehaviour of the SCRAM server, so the client's failure paths can be tested end to end. The default
/// (<see cref="None"/>) is an honest server.
/// </summary>
public sealed record ScramServerTestOptions
{
    /// <summary>An honest server.</summary>
    public static ScramServerTestOptions None { get; } = new();

    /// <summary>Flip a bit of the server signature <c>v=</c> (the client must refuse it).</summary>
    public bool TamperServerSignature { get; init; }

    /// <summary>Send a server nonce that does not start with the client's nonce (the client must refuse it).</summary>
    public bool UnprefixedServerNonce { get; init; }

    /// <summary>Advertise this iteration count in server-first instead of the stored one (e.g. 1000).</summary>
    public int? AdvertisedIterationCount { get; init; }

    /// <summary>Ignore skipEmptyExchange, as servers before MongoDB 4.4 did: after server-final answer done:false and
    /// wait for the client's empty saslContinue (the long conversation, two saslContinue commands).</summary>
    public bool IgnoreSkipEmptyExchange { get; init; }
}
