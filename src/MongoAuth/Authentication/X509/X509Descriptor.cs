namespace MongoAuth.Authentication.X509;

/// <summary>
/// The rules of MONGODB-X509: the TLS client certificate authenticates, so no password and no properties; the user
/// name is optional (the certificate's RFC 2253 subject); source <c>$external</c> only; the client needs TLS with a
/// client certificate.
/// </summary>
internal sealed class X509Descriptor : MechanismDescriptor
{
    /// <summary>The mechanism name.</summary>
    public const string MechanismName = "MONGODB-X509";

    private static readonly CredentialRequirement UserName = CredentialRequirement.Optional(
        "the RFC 2253 subject of the client certificate; without it the server takes the subject");

    private static readonly CredentialRequirement UserPassword = CredentialRequirement.Forbidden("the client certificate authenticates");

    private X509Descriptor()
    {
    }

    /// <summary>The one instance.</summary>
    public static X509Descriptor Instance { get; } = new();

    public override string Name => MechanismName;

    public override AuthSourceRule SourceRule => AuthSourceRule.ExternalOnly;

    public override CredentialRequirement Username => UserName;

    public override CredentialRequirement Password => UserPassword;

    public override string? HintFor(AuthenticationFailureEvidence evidence) =>
        evidence is { Kind: AuthenticationFailureKind.ServerError, ServerErrorCode: 18 }
            ? "Check that a user named exactly the certificate's RFC 2253 subject exists on $external."
            : null;

    /// <exception cref="MongoConfigurationException">TLS is off or no client certificate is configured.</exception>
    public override IAuthenticationMechanism Create(MongoCredential credential, MongoClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.UseTls)
        {
            throw Refuse("tls",
                "MONGODB-X509 authenticates with the TLS client certificate, but TLS is off. Set tls=true (UseTls = true) and tlsCertificateKeyFile.");
        }

        if (settings.Tls.CertificateKeyFile is null && settings.Tls.ClientCertificates is not { Count: > 0 })
        {
            throw Refuse("tlsCertificateKeyFile",
                "MONGODB-X509 needs a client certificate, and none is configured. Set tlsCertificateKeyFile to a PEM or PKCS#12 " +
                "file holding the certificate and its private key, or give MongoTlsSettings.ClientCertificates from code.");
        }

        return new X509Mechanism(credential);
    }
}
