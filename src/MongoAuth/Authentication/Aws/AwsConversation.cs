using System.Security.Cryptography;
using MongoAuth.Operations;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace MongoAuth.Authentication.Aws;

/// <summary>
/// One MONGODB-AWS conversation (MongoDB authentication specification, "Conversation"): the client-first message
/// <c>{r: 32 random bytes, p: 110}</c> (110 = 'n', no channel binding); then, from the server's <c>{s, h}</c>, after
/// checking that <c>s</c> is 64 bytes starting with <c>r</c> and that <c>h</c> is a well-formed host, the
/// client-second message <c>{a: Authorization, d: X-Amz-Date, t?: session token}</c>. Credentials are resolved before
/// the first message, so a missing credential costs no round trip.
/// </summary>
internal sealed class AwsConversation(AwsMechanism mechanism) : IContextualSaslStep
{
    internal const int ClientNonceLength = 32;
    internal const int ServerNonceLength = 64;
    private const int GssCbFlagNone = 'n';

    public ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, CancellationToken cancellationToken) =>
        ExecuteAsync(serverPayload, OperationContext.Start(isAsync: true, cancellationToken));

    public async ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, OperationContext context)
    {
        ResolvedAwsCredentials resolved;
        try
        {
            resolved = await mechanism.Chain.ResolveAsync(context).ConfigureAwait(false);
        }
        catch (AwsSourceException e)
        {
            // The chain's message lists every source; the exception keeps the last source's failure as its cause.
            throw new InvalidOperationException(e.Message, e.InnerException);
        }

        mechanism.Used(resolved.Source);
        var nonce = RandomNumberGenerator.GetBytes(ClientNonceLength);
        var first = new BsonDocument { { "r", new BsonBinaryData(nonce) }, { "p", GssCbFlagNone } };
        return new SaslStepResult(first.ToBson(), new ClientSecond(resolved.Credentials, nonce, mechanism.Chain.Dependencies.Clock));
    }

    /// <summary>The reply to the server-first message: the signed GetCallerIdentity request.</summary>
    private sealed class ClientSecond(AwsCredentials credentials, byte[] clientNonce, TimeProvider clock) : ISaslStep
    {
        public ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (serverNonce, host) = ReadServerFirst(serverPayload, clientNonce);
            var date = AwsSigner.AmzDate(clock.GetUtcNow());
            var authorization = AwsSigner.AuthorizeGetCallerIdentity(credentials, host, AwsStsHost.Region(host), date, serverNonce);
            var second = new BsonDocument { { "a", authorization }, { "d", date } };
            if (credentials.SessionToken is { } token)
            {
                second.Add("t", token);
            }

            return ValueTask.FromResult(new SaslStepResult(second.ToBson(), Next: null));
        }
    }

    /// <summary>The server nonce and STS host of the server-first message, after every check the specification asks for.</summary>
    internal static (byte[] Nonce, string Host) ReadServerFirst(ReadOnlyMemory<byte> payload, ReadOnlySpan<byte> clientNonce)
    {
        BsonDocument document;
        try
        {
            document = BsonSerializer.Deserialize<BsonDocument>(payload.ToArray());
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException or BsonSerializationException or IOException)
        {
            throw new InvalidOperationException("the server's first MONGODB-AWS message is not a BSON document", e);
        }

        if (!document.TryGetValue("s", out var s) || s is not BsonBinaryData { SubType: BsonBinarySubType.Binary } nonceData)
        {
            throw new InvalidOperationException("the server's first message has no server nonce 's' (binary)");
        }

        if (!document.TryGetValue("h", out var h) || h is not BsonString hostValue)
        {
            throw new InvalidOperationException("the server's first message has no STS host 'h' (string)");
        }

        var nonce = nonceData.Bytes;
        if (nonce.Length != ServerNonceLength)
        {
            throw new InvalidOperationException($"the server nonce is {nonce.Length} bytes; MONGODB-AWS requires {ServerNonceLength}");
        }

        if (!nonce.AsSpan(0, ClientNonceLength).SequenceEqual(clientNonce))
        {
            throw new InvalidOperationException("the server nonce does not start with the client nonce (the reply belongs to another conversation or was altered)");
        }

        if (AwsStsHost.Problem(hostValue.Value) is { } problem)
        {
            throw new InvalidOperationException($"the server named an invalid STS host: {problem}");
        }

        return (nonce, hostValue.Value);
    }
}
