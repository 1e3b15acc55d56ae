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
    public const string MechanismName = "MONGODB-X509";

    private const string ExternalSource = "$external";
    private readonly string? _username;

    /// <summary>Creates the mechanism for one client.</summary>
    /// <param name="credential">A MONGODB-X509 credential (already checked: no password, no properties, source <c>$external</c>).</param>
    /// <param name="settings">The client's settings: TLS must be on with a client certificate.</param>
    /// <exception cref="MongoConfigurationException">TLS is off or no client certificate is configured.</exception>
    /// <remarks>A password is refused earlier, by the credential's own validation.</remarks>
    public X509Mechanism(MongoCredential credential, MongoClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.UseTls)
        {
            throw new MongoConfigurationException(
                "MONGODB-X509 authenticates with the TLS client certificate, but TLS is off. Set tls=true (UseTls = true) and " +
                "tlsCertificateKeyFile.")
            { OptionName = "tls" };
        }
        if (settings.Tls.CertificateKeyFile is null && settings.Tls.ClientCertificates is not { Count: > 0 })
        {
            throw new MongoConfigurationException(
                "MONGODB-X509 needs a client certificate, and none is configured. Set tlsCertificateKeyFile to a PEM or PKCS#12 " +
                "file holding the certificate and its private key, or give MongoTlsSettings.ClientCertificates from code.")
            { OptionName = "tlsCertificateKeyFile" };
        }
        _username = credential.Username;
    }

    /// <inheritdoc />
    public string Name => MechanismName;

    /// <inheritdoc />
    public string Source => ExternalSource;

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
