using MongoAuth.Authentication.Scram;

namespace MongoAuth.TestServer.Authentication.Scram;

/// <summary>
/// The server side of SCRAM-SHA-1 or SCRAM-SHA-256 (RFC 5802 §5 and §9), as mongod runs it: server nonce = client
/// nonce + random, ClientProof checked against StoredKey, <c>v=</c> answered, skipEmptyExchange honoured, and
/// error 18 "Authentication failed." for an unknown user or a wrong proof.
/// </summary>
public sealed class ScramServerMechanism : IServerSaslMechanism
{
    private readonly ScramAlgorithm _algorithm;
    private readonly ScramAccountLookup _findAccount;

    /// <summary>Creates the server half of <paramref name="mechanism"/> over a user store.</summary>
    /// <param name="mechanism">SCRAM-SHA-1 or SCRAM-SHA-256.</param>
    /// <param name="findAccount">Looks up a user's stored credential for this mechanism.</param>
    public ScramServerMechanism(string mechanism, ScramAccountLookup findAccount)
    {
        ArgumentNullException.ThrowIfNull(findAccount);
        _algorithm = ScramStoredCredential.Algorithm(mechanism);
        _findAccount = findAccount;
    }

    /// <inheritdoc />
    public string Name => _algorithm.MechanismName;

    /// <summary>Test-only misbehaviour applied to conversations started from now on.</summary>
    public ScramServerTestOptions TestOptions { get; set; } = ScramServerTestOptions.None;

    /// <inheritdoc />
    public IServerSaslConversation Start(ServerConversationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ScramServerConversation(_algorithm, _findAccount, context, TestOptions);
    }
}
