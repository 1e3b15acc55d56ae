using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.TestServer.Authentication;

namespace MongoAuth.TestServer.Connections;

/// <summary>The per-connection state commands read and change: identity, SASL conversations, authenticated users.</summary>
internal sealed class ConnectionSession(long connectionId, EndPoint? remote)
{
    private readonly Dictionary<int, IServerSaslConversation> _conversations = [];
    private int _lastConversationId;

    public long ConnectionId { get; } = connectionId;

    public EndPoint? Remote { get; } = remote;

    public bool IsTls { get; set; }

    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>The appName of the handshake's client metadata, for fail points that filter on it.</summary>
    public string? AppName { get; set; }

    public List<AuthenticatedUser> AuthenticatedUsers { get; } = [];

    public bool IsAuthenticated => AuthenticatedUsers.Count > 0;

    public int AddConversation(IServerSaslConversation conversation)
    {
        var id = ++_lastConversationId;
        _conversations[id] = conversation;
        return id;
    }

    public bool TryGetConversation(int id, [NotNullWhen(true)] out IServerSaslConversation? conversation) =>
        _conversations.TryGetValue(id, out conversation);

    public void EndConversation(int id) => _conversations.Remove(id);

    /// <summary>
    /// Removes the users whose authentication expired by <paramref name="now"/> (MONGODB-OIDC tokens); returns
    /// whether there was one, so the command is answered 391 (ReauthenticationRequired).
    /// </summary>
    public bool ExpireAuthentications(DateTimeOffset now) => AuthenticatedUsers.RemoveAll(u => u.ExpiresAt <= now) > 0;

    /// <summary>Records a completed authentication; a user authenticated again replaces the earlier entry.</summary>
    public void Authenticated(AuthenticatedUser user)
    {
        AuthenticatedUsers.RemoveAll(u => u.User == user.User && u.Db == user.Db);
        AuthenticatedUsers.Add(user);
    }
}
