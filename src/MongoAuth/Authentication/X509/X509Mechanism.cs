using MongoDB.Bson;

namespace MongoAuth.Authentication.X509;

/// <summary>
/// MONGODB-X509: the TLS client certificate proves the identity, and one <c>{authenticate: 1, mechanism:
/// "MONGODB-X509"[, user]}</c> on <c>$external</c> tells the server to use it. The user name goes in only when the
/// credential has one (it must then equal the certificate's RFC 2253 subject); without it the server takes the subject.
/// The command rides in the handshake as <c>speculativeAuthenticate</c>, so authentication costs no extra round trip.
/// </summary>
internal sealed class X509Mechanism : ICommandMechanism
{
    /// <summary>The mechanism name.</summary>
    public const string MechanismName = X509Descriptor.MechanismName;

    private readonly string? _username;

    /// <summary>Creates the mechanism for one client; <see cref="X509Descriptor"/> checks the credential and that
    /// TLS with a client certificate is configured.</summary>
    /// <param name="credential">A MONGODB-X509 credential.</param>
    /// <exception cref="MongoConfigurationException">The credential breaks the rules of <see cref="X509Descriptor"/>.</exception>
    public X509Mechanism(MongoCredential credential)
    {
        X509Descriptor.Instance.Validate(credential);
        _username = credential.Username;
    }

    /// <inheritdoc />
    public string Name => MechanismName;

    /// <inheritdoc />
    public string Source => AuthSourceRule.External;

    /// <inheritdoc />
    public bool CanSpeculate => true;

    /// <inheritdoc />
    public BsonDocument CreateCommand(SaslConversationContext context)
    {
        var command = new BsonDocument { { "authenticate", 1 }, { "mechanism", MechanismName } };
        if (_username is not null)
        {
            command["user"] = _username;
        }
        return command;
    }
}
