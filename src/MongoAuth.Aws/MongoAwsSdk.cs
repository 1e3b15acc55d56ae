using Amazon.Runtime;

namespace MongoAuth.Aws;

/// <summary>
/// One call that makes MONGODB-AWS take its credentials from the AWS SDK for .NET:
/// <c>settings with { Credential = MongoAwsSdk.CreateCredential() }</c>.
/// </summary>
public static class MongoAwsSdk
{
    /// <summary>The MONGODB-AWS property that carries the provider.</summary>
    public const string CredentialProviderProperty = "AWS_CREDENTIAL_PROVIDER";

    /// <summary>A MONGODB-AWS credential whose AWS credentials come from the SDK's default resolution chain.</summary>
    public static MongoCredential CreateCredential() => CreateCredential(new AwsSdkCredentialProvider());

    /// <summary>A MONGODB-AWS credential whose AWS credentials come from <paramref name="credentials"/>.</summary>
    public static MongoCredential CreateCredential(AWSCredentials credentials) => CreateCredential(new AwsSdkCredentialProvider(credentials));

    private static MongoCredential CreateCredential(AwsSdkCredentialProvider provider) =>
        MongoCredential.CreateMongoAwsCredential().WithMechanismProperty(CredentialProviderProperty, provider);
}
