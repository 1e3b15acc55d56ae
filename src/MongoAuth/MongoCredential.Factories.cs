using System.Collections.Immutable;

namespace MongoAuth;

public sealed partial class MongoCredential
{
    /// <summary>A user name and password with the mechanism negotiated (SCRAM-SHA-256 if the server has it, else
    /// SCRAM-SHA-1). <paramref name="source"/> null means <c>admin</c>.</summary>
    /// <exception cref="MongoConfigurationException">The user name is empty.</exception>
    public static MongoCredential CreateCredential(string? source, string username, string password) => Create(null, source, username, password ?? throw new ArgumentNullException(nameof(password)));

    /// <summary>A SCRAM-SHA-1 credential. <paramref name="source"/> null means <c>admin</c>.</summary>
    /// <exception cref="MongoConfigurationException">The user name is empty.</exception>
    public static MongoCredential CreateScramSha1Credential(string? source, string username, string password) => Create(Authentication.Scram.ScramDescriptor.Sha1Name, source, username, password ?? throw new ArgumentNullException(nameof(password)));

    /// <summary>A SCRAM-SHA-256 credential. <paramref name="source"/> null means <c>admin</c>.</summary>
    /// <exception cref="MongoConfigurationException">The user name is empty.</exception>
    public static MongoCredential CreateScramSha256Credential(string? source, string username, string password) => Create(Authentication.Scram.ScramDescriptor.Sha256Name, source, username, password ?? throw new ArgumentNullException(nameof(password)));

    /// <summary>A PLAIN (LDAP) credential. <paramref name="source"/> null means <c>$external</c>.</summary>
    /// <exception cref="MongoConfigurationException">The user name is empty.</exception>
    public static MongoCredential CreatePlainCredential(string? source, string username, string password) => Create(Authentication.Plain.PlainDescriptor.MechanismName, source, username, password ?? throw new ArgumentNullException(nameof(password)));

    /// <summary>A GSSAPI (Kerberos) credential using the default credentials (ticket cache or keytab) of
    /// <paramref name="username"/> (which may include <c>@REALM</c>).</summary>
    /// <exception cref="MongoConfigurationException">The user name is empty.</exception>
    public static MongoCredential CreateGssapiCredential(string username) => Create(Authentication.Gssapi.GssapiDescriptor.MechanismName, null, username, null);

    /// <summary>A GSSAPI (Kerberos) credential that obtains a ticket with <paramref name="password"/>.</summary>
    /// <exception cref="MongoConfigurationException">The user name is empty.</exception>
    public static MongoCredential CreateGssapiCredential(string username, string password) => Create(Authentication.Gssapi.GssapiDescriptor.MechanismName, null, username, password ?? throw new ArgumentNullException(nameof(password)));

    /// <summary>A MONGODB-X509 credential; without a user name the server takes the certificate subject.</summary>
    public static MongoCredential CreateMongoX509Credential(string? username = null) => Create(Authentication.X509.X509Descriptor.MechanismName, null, username, null);

    /// <summary>A MONGODB-AWS credential: AWS credentials come from the environment, or from a provider set with
    /// <c>WithMechanismProperty("AWS_CREDENTIAL_PROVIDER", provider)</c>, never from the credential itself.</summary>
    public static MongoCredential CreateMongoAwsCredential() => Create(Authentication.Aws.AwsDescriptor.MechanismName, null, null, null);

    /// <summary>
    /// A MONGODB-AWS credential with explicit keys, given from code (a connection string may not carry them): the access
    /// key id becomes the user name, the secret access key the password, and <paramref name="sessionToken"/> of temporary
    /// keys the <c>AWS_SESSION_TOKEN</c> property. None of them is ever printed except the access key id.
    /// </summary>
    /// <exception cref="MongoConfigurationException">The key id or the secret is empty.</exception>
    public static MongoCredential CreateMongoAwsCredential(string accessKeyId, string secretAccessKey, string? sessionToken = null)
    {
        ArgumentNullException.ThrowIfNull(secretAccessKey);
        var credential = Create(Authentication.Aws.AwsDescriptor.MechanismName, null, accessKeyId, secretAccessKey);
        return sessionToken is null ? credential : credential.WithMechanismProperty(Authentication.Aws.AwsDescriptor.SessionToken, sessionToken);
    }

    /// <summary>
    /// A MONGODB-OIDC credential. Complete it with <c>WithMechanismProperty</c>: <c>ENVIRONMENT</c> (test, azure, gcp,
    /// k8s, with <c>TOKEN_RESOURCE</c> for azure and gcp), or a callback (<c>OIDC_CALLBACK</c> or
    /// <c>OIDC_HUMAN_CALLBACK</c>, code only), and for the human flow optionally <c>ALLOWED_HOSTS</c>.
    /// </summary>
    public static MongoCredential CreateOidcCredential(string? username = null) => Create(Authentication.Oidc.OidcDescriptor.MechanismName, null, username, null);

    /// <summary>
    /// A credential for any mechanism, built-in (checked against its descriptor's rules) or registered by the
    /// application (only the generic rules apply here: no empty name, user or source; its descriptor's rules apply
    /// when the client is built). <paramref name="mechanism"/> null means negotiated SCRAM. What is still missing (a
    /// password SCRAM or PLAIN needs) is reported when the client is built.
    /// </summary>
    /// <exception cref="MongoConfigurationException">The combination breaks the mechanism's rules.</exception>
    public static MongoCredential FromComponents(string? mechanism, string? source, string? username, string? password) =>
        Create(mechanism is null ? null : CanonicalMechanism(mechanism), source, username, password);

    /// <summary>A copy with one mechanism property set (names compare case-insensitively). Callbacks, providers and
    /// <c>ALLOWED_HOSTS</c> can be given only this way, from code.</summary>
    /// <exception cref="MongoConfigurationException">The mechanism does not take the property, or the value breaks its rule.</exception>
    public MongoCredential WithMechanismProperty(string name, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        var credential = new MongoCredential(Mechanism, Source, Username, Password, MechanismProperties.SetItem(name, value));
        credential.ValidateShape();
        return credential;
    }

    private static MongoCredential Create(string? mechanism, string? source, string? username, string? password)
    {
        var credential = new MongoCredential(mechanism, source, username, password, ImmutableDictionary.Create<string, object>(StringComparer.OrdinalIgnoreCase));
        credential.ValidateShape();
        return credential;
    }
}
