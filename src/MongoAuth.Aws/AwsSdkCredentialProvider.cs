using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using MongoAuth.Authentication.Aws;

namespace MongoAuth.Aws;

/// <summary>
/// MONGODB-AWS credentials from the AWS SDK for .NET: by default the SDK's whole resolution chain
/// (<see cref="DefaultAWSCredentialsIdentityResolver"/>: environment variables, the shared config and credentials files
/// with profiles and SSO, web identity, ECS/EKS container credentials, EC2 instance metadata), or any
/// <see cref="AWSCredentials"/> you give. The SDK caches and refreshes temporary credentials itself, so the driver
/// asks on every authentication without caching. Give it as the <c>AWS_CREDENTIAL_PROVIDER</c> mechanism property, or
/// use <see cref="MongoAwsSdk.CreateCredential()"/>.
/// </summary>
public sealed class AwsSdkCredentialProvider : IAwsCredentialProvider
{
    private readonly Lazy<AWSCredentials> _credentials;

    /// <summary>Resolves credentials through the SDK's default chain, once, on the first authentication (not here,
    /// so that building a client never blocks on the SDK's environment probing).</summary>
    public AwsSdkCredentialProvider()
    {
        // PublicationOnly: a resolution that fails (no credentials yet) is tried again on the next authentication.
        _credentials = new Lazy<AWSCredentials>(() => DefaultAWSCredentialsIdentityResolver.GetCredentials(null), LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>Uses <paramref name="credentials"/> (for example an <c>AssumeRoleAWSCredentials</c> or a profile's).</summary>
    public AwsSdkCredentialProvider(AWSCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _credentials = new Lazy<AWSCredentials>(credentials);
    }

    /// <inheritdoc />
    public AwsCredentials GetCredentials(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Convert(_credentials.Value.GetCredentials());
    }

    /// <inheritdoc />
    public async Task<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // The SDK's asynchronous resolution takes no token; the driver's deadline still bounds the connection.
        var credentials = await _credentials.Value.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return Convert(credentials);
    }

    /// <summary>The name of the SDK credential type in use (e.g. AssumeRoleWithWebIdentityCredentials), once resolved.</summary>
    public string? SdkCredentialType => _credentials.IsValueCreated ? _credentials.Value.GetType().Name : null;

    private static AwsCredentials Convert(ImmutableCredentials credentials) =>
        new(credentials.AccessKey, credentials.SecretKey, credentials.UseToken ? credentials.Token : null);
}
