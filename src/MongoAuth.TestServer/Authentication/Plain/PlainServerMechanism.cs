using System.Text;

namespace MongoAuth.TestServer.Authentication.Plain;

/// <summary>Checks a PLAIN user name and password and says who was authenticated, with which roles.</summary>
public interface IPlainUserVerifier
{
    /// <summary>
    /// Verifies the password. Throws <see cref="ServerCommandException"/> (code 18, never with the password in it)
    /// when the user cannot be authenticated.
    /// </summary>
    ValueTask<AuthenticatedUser> VerifyAsync(string user, string password, ServerConversationContext context, CancellationToken cancellationToken);
}

/// <summary>
/// The server side of PLAIN (RFC 4616): one client message <c>[authzid]\0authcid\0password</c>, answered with
/// <c>done:true</c> and an empty payload, or with AuthenticationFailed (18). Who may log in is up to the
/// <see cref="IPlainUserVerifier"/>: local users, or LDAP bind plus LDAP authorization.
/// </summary>
public sealed class PlainServerMechanism(IPlainUserVerifier verifier) : IServerSaslMechanism
{
    private readonly IPlainUserVerifier _verifier = verifier ?? throw new ArgumentNullException(nameof(verifier));

    /// <inheritdoc />
    public string Name => "PLAIN";

    /// <inheritdoc />
    public IServerSaslConversation Start(ServerConversationContext context) => new Conversation(_verifier, context);

    /// <summary>Splits an RFC 4616 message; null when it is malformed or names another authorization identity.</summary>
    internal static (string User, string Password)? ParseMessage(ReadOnlySpan<byte> message)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(message);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        var parts = text.Split('\0');
        if (parts.Length != 3 || parts[1].Length == 0 || (parts[0].Length > 0 && parts[0] != parts[1]))
        {
            return null;
        }
        return (parts[1], parts[2]);
    }

    private sealed class Conversation(IPlainUserVerifier verifier, ServerConversationContext context) : IServerSaslConversation
    {
        private bool _done;

        public async ValueTask<ServerSaslStep> StepAsync(ReadOnlyMemory<byte> clientPayload, CancellationToken cancellationToken)
        {
            if (_done || ParseMessage(clientPayload.Span) is not { } message)
            {
                throw ServerCommandException.AuthenticationFailed();
            }
            _done = true;
            var user = await verifier.VerifyAsync(message.User, message.Password, context, cancellationToken).ConfigureAwait(false);
            return new ServerSaslStep(ReadOnlyMemory<byte>.Empty, Done: true, user);
        }
    }
}
