namespace MongoAuth.Authentication.Gssapi;

/// <summary>
/// GSSAPI (Kerberos v5) as MongoDB speaks it: the krb5 token exchange, then the RFC 4752 security-layer step.
/// One instance per client; each connection gets its own <see cref="GssapiConversation"/>.
/// </summary>
internal sealed class GssapiMechanism : ISaslMechanism
{
    internal const string MechanismName = GssapiDescriptor.MechanismName;

    /// <summary>Creates the mechanism; throws <see cref="MongoConfigurationException"/> for a bad credential.</summary>
    /// <param name="credential">The credential: user (may carry <c>@REALM</c>), optional password, properties.</param>
    /// <param name="resolver">DNS for CANONICALIZE_HOST_NAME; null = the system resolver.</param>
    internal GssapiMechanism(MongoCredential credential, IKerberosHostResolver? resolver = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        GssapiDescriptor.Instance.Validate(credential);
        Username = credential.Username!;
        Password = credential.Password;
        Source = GssapiDescriptor.Instance.ResolveSource(credential);
        Options = GssapiOptions.FromProperties(credential.MechanismProperties);
        Resolver = resolver ?? SystemKerberosHostResolver.Instance;
    }

    public string Name => MechanismName;

    public string Source { get; }

    internal string Username { get; }

    /// <summary>The password, or null to use the ticket cache. Never logged.</summary>
    internal string? Password { get; }

    internal GssapiOptions Options { get; }

    internal IKerberosHostResolver Resolver { get; }

    public ISaslStep CreateFirstStep(SaslConversationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new GssapiConversation(this, context.Endpoint.Host);
    }
}
