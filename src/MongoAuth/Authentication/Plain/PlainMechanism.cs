using System.Net;
using System.Text;

namespace MongoAuth.Authentication.Plain;

/// <summary>
/// PLAIN (RFC 4616), used with LDAP proxy authentication: one saslStart whose payload is
/// <c>\0user\0password</c> in UTF-8. The source is the credential's source, else <c>$external</c>. Because the
/// password travels as it is, the mechanism refuses to send it unless TLS verified the server, the host is
/// loopback, or the application set <see cref="MongoClientSettings.AllowPlainOverUnverifiedConnection"/>.
/// </summary>
internal sealed class PlainMechanism : ISaslMechanism
{
    /// <summary>The mechanism name.</summary>
    public const string MechanismName = PlainDescriptor.MechanismName;

    private readonly string _username;
    private readonly string _password;
    private readonly bool _allowUnverified;

    /// <summary>Creates the mechanism for one client.</summary>
    /// <param name="credential">A credential with a user name and a password and no mechanism properties.</param>
    /// <param name="allowPlainOverUnverifiedConnection">The client's <see cref="MongoClientSettings.AllowPlainOverUnverifiedConnection"/>.</param>
    /// <exception cref="MongoConfigurationException">The credential breaks the rules of <see cref="PlainDescriptor"/>.</exception>
    public PlainMechanism(MongoCredential credential, bool allowPlainOverUnverifiedConnection)
    {
        ArgumentNullException.ThrowIfNull(credential);
        PlainDescriptor.Instance.Validate(credential);
        _username = credential.Username!;
        _password = credential.Password!;
        _allowUnverified = allowPlainOverUnverifiedConnection;
        Source = PlainDescriptor.Instance.ResolveSource(credential);
    }

    /// <inheritdoc />
    public string Name => MechanismName;

    /// <inheritdoc />
    public string Source { get; }

    /// <inheritdoc />
    /// <exception cref="MongoAuthenticationException">The connection is not safe for a cleartext password.</exception>
    public ISaslStep CreateFirstStep(SaslConversationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.IsServerIdentityVerified && !_allowUnverified && !IsLoopback(context.Endpoint.Host))
        {
            var why = context.IsTls ? "TLS did not verify the server's certificate and host name" : "the connection is not TLS";
            throw new MongoAuthenticationException(
                $"PLAIN authentication of user '{_username}' on {context.Endpoint.Host}:{context.Endpoint.Port} (source '{Source}') was not attempted: " +
                $"PLAIN sends the password in clear and {why}. Connect with tls=true and a trusted certificate, or, if the network " +
                "is trusted, set MongoClientSettings.AllowPlainOverUnverifiedConnection = true.")
            { Mechanism = MechanismName };
        }
        return new PlainStep(BuildPayload(_username, _password));
    }

    /// <summary>The RFC 4616 message with an empty authorization identity: <c>\0user\0password</c>.</summary>
    internal static byte[] BuildPayload(string username, string password) =>
        Encoding.UTF8.GetBytes("\0" + username + "\0" + password);

    internal static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>The single step: send the payload; the server answers done.</summary>
    private sealed class PlainStep(byte[] payload) : ISaslStep
    {
        public ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(new SaslStepResult(payload, Next: null));
        }
    }
}
