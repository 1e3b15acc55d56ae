using System.Security.Cryptography;
using System.Text;

namespace MongoAuth.Authentication.Scram;

/// <summary>Step 1: sends client-first <c>n,,n=user,r=nonce</c>.</summary>
internal sealed class ScramClientFirstStep(ScramMechanism mechanism) : ISaslStep
{
    public ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string clientNonce = mechanism.NewNonce();
        string clientFirstBare = ScramMessages.ClientFirstBare(mechanism.Username, clientNonce);
        byte[] payload = Encoding.UTF8.GetBytes(ScramMessages.Gs2Header + clientFirstBare);
        return ValueTask.FromResult(new SaslStepResult(payload, new ScramClientFinalStep(mechanism, clientNonce, clientFirstBare)));
    }
}

/// <summary>
/// Step 2: checks server-first (nonce prefix, salt, 4096 ≤ iteration count ≤ the client's limit), takes the keys
/// from the client-wide cache (deriving them under the step's token, which fires at the connection's deadline) and
/// sends client-final with the proof.
/// </summary>
internal sealed class ScramClientFinalStep(ScramMechanism mechanism, string clientNonce, string clientFirstBare) : ISaslStep
{
    private const string Step = "server-first message";

    public ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string serverFirst;
        string combinedNonce;
        byte[] salt;
        long iterations;
        try
        {
            serverFirst = ScramMessages.Decode(serverPayload);
            Dictionary<char, string> attributes = ScramMessages.ParseAttributes(serverFirst);
            if (attributes.ContainsKey('m'))
            {
                throw new FormatException("It requires an extension ('m=') this client does not support.");
            }

            combinedNonce = ScramMessages.Required(attributes, 'r');
            salt = ScramMessages.RequiredBase64(attributes, 's');
            iterations = ScramMessages.RequiredIterationCount(attributes);
        }
        catch (FormatException exception)
        {
            throw mechanism.Failure(Step, $"the message is malformed. {exception.Message}", exception);
        }

        if (combinedNonce.Length <= clientNonce.Length || !combinedNonce.StartsWith(clientNonce, StringComparison.Ordinal))
        {
            throw mechanism.Failure(Step, "the server's nonce does not extend the client's nonce (RFC 5802 section 5.1).");
        }

        if (salt.Length == 0)
        {
            throw mechanism.Failure(Step, "the salt is empty.");
        }

        if (iterations < ScramAlgorithm.MinimumIterationCount)
        {
            throw mechanism.Failure(
                Step,
                $"the server asked for {iterations} iterations, fewer than the minimum of {ScramAlgorithm.MinimumIterationCount}.");
        }

        if (iterations > mechanism.MaxIterationCount)
        {
            throw mechanism.Failure(Step, ScramLimits.IterationCountTooHigh(iterations, mechanism.MaxIterationCount));
        }

        ScramKeys keys = mechanism.KeyCache.GetOrDerive(
            mechanism.Algorithm, mechanism.PreparePassword(Step), salt, (int)iterations, cancellationToken);
        string clientFinalWithoutProof = ScramMessages.ClientFinalWithoutProof(combinedNonce);
        byte[] authMessage = ScramMessages.AuthMessage(clientFirstBare, serverFirst, clientFinalWithoutProof);
        string proof = Convert.ToBase64String(mechanism.Algorithm.ClientProof(keys, authMessage));
        byte[] expectedServerSignature = mechanism.Algorithm.ServerSignature(keys.ServerKey, authMessage);
        byte[] payload = Encoding.UTF8.GetBytes($"{clientFinalWithoutProof},p={proof}");
        return ValueTask.FromResult(new SaslStepResult(payload, new ScramServerFinalStep(mechanism, expectedServerSignature)));
    }
}

/// <summary>
/// Step 3: verifies the server's signature <c>v=</c> in constant time (or reports its <c>e=</c>). It sends an empty
/// payload, which the SASL loop uses only for the legacy extra round trip (a server that said done:false).
/// </summary>
internal sealed class ScramServerFinalStep(ScramMechanism mechanism, byte[] expectedServerSignature) : ISaslStep
{
    private const string Step = "server-final message";

    public ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        byte[] serverSignature;
        try
        {
            Dictionary<char, string> attributes = ScramMessages.ParseAttributes(ScramMessages.Decode(serverPayload));
            if (attributes.TryGetValue('e', out string? error))
            {
                throw mechanism.Failure(Step, $"the server reported '{error}'.");
            }

            serverSignature = ScramMessages.RequiredBase64(attributes, 'v');
        }
        catch (FormatException exception)
        {
            throw mechanism.Failure(Step, $"the message is malformed. {exception.Message}", exception);
        }

        if (!CryptographicOperations.FixedTimeEquals(serverSignature, expectedServerSignature))
        {
            throw mechanism.Failure(
                Step,
                "the server's signature is wrong, so the server does not know this user's keys; it may be an impostor.");
        }

        return ValueTask.FromResult(new SaslStepResult(ReadOnlyMemory<byte>.Empty, null));
    }
}
