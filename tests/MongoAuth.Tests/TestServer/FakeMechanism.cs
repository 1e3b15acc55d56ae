using System.Text;
using MongoAuth.TestServer.Authentication;

namespace MongoAuth.Tests.TestServer;

/// <summary>
/// A two-step mechanism for dispatch tests: the client sends its user name, the server answers "challenge", the
/// client sends the secret; a wrong secret fails with AuthenticationFailed.
/// </summary>
internal sealed class FakeMechanism(string secret) : IServerSaslMechanism
{
    public const string MechanismName = "FAKE-TEST";

    public string Name => MechanismName;

    public List<ServerConversationContext> Contexts { get; } = [];

    public IServerSaslConversation Start(ServerConversationContext context)
    {
        lock (Contexts)
        {
            Contexts.Add(context);
        }

        return new Conversation(secret, context.Database);
    }

    private sealed class Conversation(string secret, string db) : IServerSaslConversation
    {
        private string? _user;

        public ValueTask<ServerSaslStep> StepAsync(ReadOnlyMemory<byte> clientPayload, CancellationToken cancellationToken)
        {
            var text = Encoding.UTF8.GetString(clientPayload.Span);
            if (_user is null)
            {
                _user = text;
                return ValueTask.FromResult(new ServerSaslStep("challenge"u8.ToArray(), false, null));
            }

            if (text != secret)
            {
                throw ServerCommandException.AuthenticationFailed();
            }

            var user = new AuthenticatedUser(_user, db, [new GrantedRole("readWrite", db)]);
            return ValueTask.FromResult(new ServerSaslStep(ReadOnlyMemory<byte>.Empty, true, user));
        }
    }
}
