using System.Text;
using MongoAuth.Authentication.Scram;

namespace MongoAuth.TestServer.Authentication.Scram;

/// <summary>One server-side SCRAM conversation: client-first → server-first, client-final → server-final, then
/// (unless the client asked to skip it) an empty exchange.</summary>
internal sealed class ScramServerConversation(
    ScramAlgorithm algorithm,
    ScramAccountLookup findAccount,
    ServerConversationContext context,
    ScramServerTestOptions testOptions) : IServerSaslConversation
{
    private enum State
    {
        ClientFirst,
        ClientFinal,
        EmptyExchange,
        Done,
    }

    private State _state = State.ClientFirst;
    private ScramAccount? _account;
    private string _gs2Header = string.Empty;
    private string _clientFirstBare = string.Empty;
    private string _serverFirst = string.Empty;
    private string _combinedNonce = string.Empty;

    public ValueTask<ServerSaslStep> StepAsync(ReadOnlyMemory<byte> clientPayload, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return ValueTask.FromResult(_state switch
            {
                State.ClientFirst => OnClientFirst(ScramMessages.Decode(clientPayload)),
                State.ClientFinal => OnClientFinal(ScramMessages.Decode(clientPayload)),
                State.EmptyExchange => OnEmptyExchange(clientPayload),
                _ => throw BadValue("The SCRAM conversation is already complete."),
            });
        }
        catch (FormatException exception)
        {
            _state = State.Done;
            throw BadValue($"Invalid {algorithm.MechanismName} message: {exception.Message}");
        }
        catch (ServerCommandException)
        {
            _state = State.Done;
            throw;
        }
    }

    private ServerSaslStep OnClientFirst(string message)
    {
        // GS2 header: no channel binding ("n") or "supported by client but not server" ("y"); no authzid.
        if (!message.StartsWith("n,,", StringComparison.Ordinal) && !message.StartsWith("y,,", StringComparison.Ordinal))
        {
            throw BadValue($"{algorithm.MechanismName} supports neither channel binding nor an authorization identity.");
        }

        _gs2Header = message[..3];
        _clientFirstBare = message[3..];
        Dictionary<char, string> attributes = ScramMessages.ParseAttributes(_clientFirstBare);
        if (attributes.ContainsKey('m'))
        {
            throw BadValue($"{algorithm.MechanismName} supports no mandatory extension.");
        }

        string username = ScramMessages.UnescapeUsername(ScramMessages.Required(attributes, 'n'));
        string clientNonce = ScramMessages.Required(attributes, 'r');
        if (username.Length == 0 || clientNonce.Length == 0)
        {
            throw new FormatException("The user name and the nonce must not be empty.");
        }

        _account = findAccount(context.Database, username, algorithm.MechanismName)
            ?? throw ServerCommandException.AuthenticationFailed();
        ScramStoredCredential credential = _account.Credential;
        _combinedNonce = (testOptions.UnprefixedServerNonce ? string.Empty : clientNonce) + ScramMessages.NewNonce();
        int iterations = testOptions.AdvertisedIterationCount ?? credential.Iterations;
        _serverFirst = $"r={_combinedNonce},s={Convert.ToBase64String(credential.Salt.Span)},i={iterations}";
        _state = State.ClientFinal;
        return new ServerSaslStep(Encoding.UTF8.GetBytes(_serverFirst), Done: false, User: null);
    }

    private ServerSaslStep OnClientFinal(string message)
    {
        Dictionary<char, string> attributes = ScramMessages.ParseAttributes(message);
        int proofStart = message.LastIndexOf(",p=", StringComparison.Ordinal);
        string channelBinding = ScramMessages.Required(attributes, 'c');
        byte[] proof = ScramMessages.RequiredBase64(attributes, 'p');
        if (proofStart < 0 || proofStart + 3 + attributes['p'].Length != message.Length)
        {
            throw new FormatException("The proof must be the last attribute.");
        }

        if (channelBinding != Convert.ToBase64String(Encoding.UTF8.GetBytes(_gs2Header))
            || ScramMessages.Required(attributes, 'r') != _combinedNonce)
        {
            throw BadValue($"{algorithm.MechanismName} client-final does not match the conversation (channel binding or nonce).");
        }

        ScramStoredCredential credential = _account!.Credential;
        byte[] authMessage = ScramMessages.AuthMessage(_clientFirstBare, _serverFirst, message[..proofStart]);
        if (!algorithm.VerifyClientProof(credential.StoredKey.Span, authMessage, proof))
        {
            throw ServerCommandException.AuthenticationFailed();
        }

        byte[] signature = algorithm.ServerSignature(credential.ServerKey.Span, authMessage);
        if (testOptions.TamperServerSignature)
        {
            signature[0] ^= 0x01;
        }

        byte[] serverFinal = Encoding.UTF8.GetBytes($"v={Convert.ToBase64String(signature)}");
        if (context.SkipEmptyExchange && !testOptions.IgnoreSkipEmptyExchange)
        {
            _state = State.Done;
            return new ServerSaslStep(serverFinal, Done: true, _account.User);
        }

        _state = State.EmptyExchange;
        return new ServerSaslStep(serverFinal, Done: false, User: null);
    }

    private ServerSaslStep OnEmptyExchange(ReadOnlyMemory<byte> payload)
    {
        if (!payload.IsEmpty)
        {
            throw BadValue($"{algorithm.MechanismName} expected an empty message after server-final.");
        }

        _state = State.Done;
        return new ServerSaslStep(ReadOnlyMemory<byte>.Empty, Done: true, _account!.User);
    }

    private static ServerCommandException BadValue(string message) => new(2, "BadValue", message);
}
