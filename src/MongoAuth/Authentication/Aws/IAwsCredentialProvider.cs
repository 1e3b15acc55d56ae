namespace MongoAuth.Authentication.Aws;

/// <summary>
/// Supplies AWS credentials to MONGODB-AWS in place of the built-in chain (the MongoDB authentication specification's
/// custom credential provider). Give it from code as the <c>AWS_CREDENTIAL_PROVIDER</c> mechanism property:
/// <c>MongoCredential.CreateMongoAwsCredential().WithMechanismProperty("AWS_CREDENTIAL_PROVIDER", provider)</c>. The
/// driver calls it on every authentication and does not cache what it returns: caching and refresh are the provider's
/// (the AWS SDK caches its own). The MongoAuth.Aws package wraps the AWS SDK's whole resolution chain in one.
/// </summary>
public interface IAwsCredentialProvider
{
    /// <summary>Returns credentials, blocking; used by the driver's synchronous API.</summary>
    /// <param name="cancellationToken">Fires at the connection's deadline or when the caller cancels.</param>
    AwsCredentials GetCredentials(CancellationToken cancellationToken);

    /// <summary>Returns credentials; used by the driver's asynchronous API.</summary>
    /// <param name="cancellationToken">Fires at the connection's deadline or when the caller cancels.</param>
    Task<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken);
}
