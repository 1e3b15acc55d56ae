using System.Buffers;
using System.Net.Security;
using System.Text;

namespace MongoAuth.TestServer.Authentication.Gssapi;

/// <summary>
/// One server-side GSSAPI conversation: the krb5 exchange with <see cref="NegotiateAuthentication"/> (package
/// "Kerberos"), then the RFC 4752 step: offer "no security layer" wrapped with integrity, unwrap the client's choice
/// and check its authorization identity against the authenticated principal.
/// </summary>
internal sealed class GssapiServerConversation : IServerSaslConversation, IDisposable
{
    private const byte NoSecurityLayer = 0x01;

    // "No security layer" supported; largest message we accept: 1 MiB (3 bytes, big-endian).
    private static readonly byte[] Offer = [NoSecurityLayer, 0x10, 0x00, 0x00];

    private readonly GssapiServerMechanism _mechanism;
    private readonly NegotiateAuthentication _authentication =
        new(new NegotiateAuthenticationServerOptions { Package = "Kerberos" });

    private State _state = State.Context;
    private string _principal = "";

    internal GssapiServerConversation(GssapiServerMechanism mechanism) => _mechanism = mechanism;

    private enum State
    {
        Context,
        AwaitAcknowledgement,
        AwaitLayerChoice,
        Done,
    }

    public ValueTask<ServerSaslStep> StepAsync(ReadOnlyMemory<byte> clientPayload, CancellationToken cancellationToken)
    {
        try
        {
            return ValueTask.FromResult(_state switch
            {
                State.Context => AcceptToken(clientPayload.Span),
                State.AwaitAcknowledgement => SendOffer(),
                State.AwaitLayerChoice => CheckLayerChoice(clientPayload.Span),
                _ => throw new ServerCommandException(17, "ProtocolError", "The GSSAPI conversation is already complete."),
            });
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _state = State.Done;
        _authentication.Dispose();
    }

    private ServerSaslStep AcceptToken(ReadOnlySpan<byte> token)
    {
        var reply = _authentication.GetOutgoingBlob(token, out var status);
        if (status == NegotiateAuthenticationStatusCode.ContinueNeeded)
        {
            return new ServerSaslStep(reply ?? [], false, null);
        }

        if (status != NegotiateAuthenticationStatusCode.Completed)
        {
            throw ServerCommandException.AuthenticationFailed();
        }

        _principal = _authentication.RemoteIdentity.Name ?? "";
        if (reply is { Length: > 0 })
        {
            // Mutual authentication: the AP-REP goes first; the client acknowledges with an empty payload.
            _state = State.AwaitAcknowledgement;
            return new ServerSaslStep(reply, false, null);
        }

        return SendOffer();
    }

    private ServerSaslStep SendOffer()
    {
        var wrapped = new ArrayBufferWriter<byte>();
        if (_authentication.Wrap(Offer, wrapped, requestEncryption: false, out _) != NegotiateAuthenticationStatusCode.Completed)
        {
            throw ServerCommandException.AuthenticationFailed();
        }

        _state = State.AwaitLayerChoice;
        return new ServerSaslStep(wrapped.WrittenMemory, false, null);
    }

    private ServerSaslStep CheckLayerChoice(ReadOnlySpan<byte> wrappedChoice)
    {
        var choice = new ArrayBufferWriter<byte>();
        if (_authentication.Unwrap(wrappedChoice, choice, out _) != NegotiateAuthenticationStatusCode.Completed
            || choice.WrittenCount < 4
            || choice.WrittenSpan[0] != NoSecurityLayer)
        {
            throw ServerCommandException.AuthenticationFailed();
        }

        var authorizationId = Encoding.UTF8.GetString(choice.WrittenSpan[4..]);
        if (!IsSamePrincipal(authorizationId, _principal))
        {
            throw ServerCommandException.AuthenticationFailed();
        }

        var user = _mechanism.FindUser(_principal) ?? throw ServerCommandException.AuthenticationFailed();
        Dispose();
        return new ServerSaslStep(ReadOnlyMemory<byte>.Empty, true, user);
    }

    // The client sends the user name as configured: the full principal, the principal without its realm, or nothing.
    private static bool IsSamePrincipal(string authorizationId, string principal) =>
        authorizationId.Length == 0
        || string.Equals(authorizationId, principal, StringComparison.Ordinal)
        || string.Equals(authorizationId + "@" + principal[(principal.LastIndexOf('@') + 1)..], principal, StringComparison.Ordinal);
}
