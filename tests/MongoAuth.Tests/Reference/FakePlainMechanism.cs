using System.Text;
using MongoAuth.TestServer.Authentication;

namespace MongoAuth.Tests.Reference;

/// <summary>
/// A test-only PLAIN server half with fixed passwords, so the official driver can exercise the server's handshake,
/// SASL dispatch and commands without depending on any other mechanism's server half.
/// </summary>
internal sealed class FakePlainMechanism(IReadOnlyDictionary<string, string> passwords) : IServerSaslMechanism
{
    public string Name => "PLAIN";

    public IServerSaslConversation Start(ServerConversationContext context) => new Conversation(passwords, context.Database);

    private sealed class Conversation(IReadOnlyDictionary<string, string> passwords, string db) : IServerSaslConversation
    {
        public ValueTask<ServerSaslStep> StepAsync(ReadOnlyMemory<byte> clientPayload, CancellationToken cancellationToken)
        {
            // RFC 4616: [authzid] NUL authcid NUL passwd
            var parts = Encoding.UTF8.GetString(clientPayload.Span).Split('\0');
            if (parts.Length != 3 || !passwords.TryGetValue(parts[1], out var expected) || expected != parts[2])
            {
                throw ServerCommandException.AuthenticationFailed();
            }

            var user = new AuthenticatedUser(parts[1], db, [new GrantedRole("read", "test")]);
            return ValueTask.FromResult(new ServerSaslStep(ReadOnlyMemory<byte>.Empty, true, user));
        }
    }
}
