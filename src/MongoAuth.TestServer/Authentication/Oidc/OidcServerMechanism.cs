using MongoAuth.TestServer.Users;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace MongoAuth.TestServer.Authentication.Oidc;

/// <summary>
/// The server side of MONGODB-OIDC: a saslStart payload <c>{jwt}</c> is verified (<see cref="JwtVerifier"/>) and
/// answered with <c>done: true</c>; a payload without one (<c>{}</c> or <c>{n}</c>) starts the human flow's two-step
/// conversation: the IdP information (<c>issuer</c>, <c>clientId</c>, <c>requestScopes</c>), then <c>{jwt}</c> in
/// saslContinue. The user is the principal claim's value on <c>$external</c> with the roles of the
/// <see cref="TestUserStore"/> user of that name (none otherwise); the token's expiry goes with it, and once it has
/// passed the connection's commands are answered 391 (ReauthenticationRequired).
/// </summary>
public sealed class OidcServerMechanism : IServerSaslMechanism, IDisposable
{
    private readonly OidcServerOptions _options;
    private readonly TestUserStore _users;
    private readonly JwksKeySet _keys;

    /// <summary>Creates the mechanism for one identity provider.</summary>
    public OidcServerMechanism(OidcServerOptions options, TestUserStore users)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _users = users ?? throw new ArgumentNullException(nameof(users));
        _keys = new JwksKeySet(options.Issuer);
    }

    /// <inheritdoc />
    public string Name => "MONGODB-OIDC";

    /// <summary>How many tokens were verified successfully.</summary>
    public int VerifiedTokens => _verified;

    private int _verified;

    /// <inheritdoc />
    public IServerSaslConversation Start(ServerConversationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Database != TestUserStore.ExternalDatabase)
        {
            throw new ServerCommandException(2, "BadValue", "MONGODB-OIDC must be used with the $external database.");
        }
        return new Conversation(this);
    }

    /// <inheritdoc />
    public void Dispose() => _keys.Dispose();

    /// <summary>Fetches the issuer's key set now rather than at the first token (tests with short-lived tokens).</summary>
    public Task LoadKeysAsync(CancellationToken cancellationToken) => _keys.LoadAsync(cancellationToken);

    private async ValueTask<ServerSaslStep> VerifyAsync(string jwt, CancellationToken cancellationToken)
    {
        var (principal, expiresAt) = await JwtVerifier.VerifyAsync(jwt, _options, _keys, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _verified);
        var roles = _users.Find(TestUserStore.ExternalDatabase, principal)?.Roles ?? [];
        return new ServerSaslStep(ReadOnlyMemory<byte>.Empty, true, new AuthenticatedUser(principal, TestUserStore.ExternalDatabase, roles) { ExpiresAt = expiresAt });
    }

    private BsonDocument IdpInfo()
    {
        var info = new BsonDocument("issuer", _options.Issuer);
        if (_options.ClientId is { } clientId)
        {
            info["clientId"] = clientId;
        }
        info["requestScopes"] = new BsonArray(_options.RequestScopes);
        return info;
    }

    private sealed class Conversation(OidcServerMechanism mechanism) : IServerSaslConversation
    {
        private int _step;

        public async ValueTask<ServerSaslStep> StepAsync(ReadOnlyMemory<byte> clientPayload, CancellationToken cancellationToken)
        {
            BsonDocument payload;
            try
            {
                payload = BsonSerializer.Deserialize<BsonDocument>(clientPayload.ToArray());
            }
            catch (Exception e) when (e is FormatException or EndOfStreamException or IOException or InvalidOperationException)
            {
                throw new ServerCommandException(17, "ProtocolError", "MONGODB-OIDC payload is not a BSON document.");
            }
            _step++;
            if (payload.GetValue("jwt", BsonNull.Value) is BsonString { Value.Length: > 0 } jwt)
            {
                return await mechanism.VerifyAsync(jwt.Value, cancellationToken).ConfigureAwait(false);
            }
            if (_step == 1 && !payload.Contains("jwt"))
            {
                return new ServerSaslStep(mechanism.IdpInfo().ToBson(), false, null);
            }
            throw ServerCommandException.AuthenticationFailed();
        }
    }
}
