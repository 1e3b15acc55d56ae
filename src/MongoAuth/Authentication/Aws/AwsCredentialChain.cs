using System.Text;
using MongoAuth.Operations;

namespace MongoAuth.Authentication.Aws;

/// <summary>The credentials one authentication uses, and where they came from (never the secret).</summary>
/// <param name="Credentials">The credentials.</param>
/// <param name="Source">The source, as <c>mongoauth check</c> and errors name it.</param>
internal sealed record ResolvedAwsCredentials(AwsCredentials Credentials, string Source);

/// <summary>
/// Finds the AWS credentials of one authentication, in the order of the MongoDB authentication specification
/// (MONGODB-AWS, "Obtaining Credentials"): explicit keys on the client's settings; else the custom provider
/// (<c>AWS_CREDENTIAL_PROVIDER</c>); else credentials fetched earlier and still cached; else the environment variables;
/// else web identity; else the ECS container endpoint when one is configured, otherwise EC2 instance metadata (never
/// both). Sources that are not configured are passed over; the first configured one decides. When none yields
/// credentials the error lists every source tried and why each did not.
/// </summary>
internal sealed class AwsCredentialChain
{
    public const string ExplicitSource = "explicit keys on MongoClientSettings";
    public const string ProviderSource = "AWS_CREDENTIAL_PROVIDER";
    public const string EnvironmentSource = "environment variables";
    public const string AccessKeyVariable = "AWS_ACCESS_KEY_ID";
    public const string SecretVariable = "AWS_SECRET_ACCESS_KEY";
    public const string SessionTokenVariable = "AWS_SESSION_TOKEN";

    private readonly AwsCredentials? _explicit;
    private readonly IAwsCredentialProvider? _provider;

    public AwsCredentialChain(AwsCredentials? explicitCredentials, IAwsCredentialProvider? provider, AwsDependencies dependencies)
    {
        _explicit = explicitCredentials;
        _provider = provider;
        Dependencies = dependencies;
    }

    public AwsDependencies Dependencies { get; }

    /// <summary>Resolves the credentials, synchronously or not as <paramref name="operation"/> says.</summary>
    /// <exception cref="AwsSourceException">No source yielded credentials; the message lists them all.</exception>
    public async Task<ResolvedAwsCredentials> ResolveAsync(OperationContext operation)
    {
        if (_explicit is not null)
        {
            return new(_explicit, ExplicitSource);
        }

        if (_provider is not null)
        {
            return new(await FromProviderAsync(_provider, operation).ConfigureAwait(false), ProviderSource);
        }

        var now = Dependencies.Clock.GetUtcNow();
        if (Dependencies.Cache.Get(now) is { } cached)
        {
            return new(cached.Credentials, $"{cached.Source}, cached");
        }

        var tried = new List<string>();
        var environment = Dependencies.Environment;
        if (FromEnvironment(environment, out var problem) is { } fromEnvironment)
        {
            return new(fromEnvironment, EnvironmentSource);
        }

        tried.Add($"{EnvironmentSource}: {problem}");

        if (AwsWebIdentitySource.NotConfigured(environment) is { } webIdentityProblem)
        {
            tried.Add($"{AwsWebIdentitySource.Name}: {webIdentityProblem}");
        }
        else
        {
            return await FetchAsync(AwsWebIdentitySource.Name, AwsWebIdentitySource.FetchAsync, tried, operation).ConfigureAwait(false);
        }

        if (AwsContainerSource.IsConfigured(environment))
        {
            return await FetchAsync(AwsContainerSource.Name, AwsContainerSource.FetchAsync, tried, operation).ConfigureAwait(false);
        }

        tried.Add($"{AwsContainerSource.Name}: {AwsContainerSource.RelativeUriVariable} and {AwsContainerSource.FullUriVariable} are not set");
        return await FetchAsync(AwsInstanceMetadataSource.Name, AwsInstanceMetadataSource.FetchAsync, tried, operation).ConfigureAwait(false);
    }

    /// <summary>The credentials of the environment variables (read afresh every time, never cached), or null with why not.</summary>
    internal static AwsCredentials? FromEnvironment(IAwsEnvironment environment, out string problem)
    {
        var key = environment.Variable(AccessKeyVariable);
        var secret = environment.Variable(SecretVariable);
        problem = (key, secret) switch
        {
            (null, null) => $"{AccessKeyVariable} and {SecretVariable} are not set",
            (null, _) => $"{SecretVariable} is set but {AccessKeyVariable} is not",
            (_, null) => $"{AccessKeyVariable} is set but {SecretVariable} is not",
            _ => "",
        };
        return key is not null && secret is not null ? new AwsCredentials(key, secret, environment.Variable(SessionTokenVariable)) : null;
    }

    private static async Task<AwsCredentials> FromProviderAsync(IAwsCredentialProvider provider, OperationContext operation)
    {
        AwsCredentials? credentials;
        try
        {
            credentials = operation.IsAsync
                ? await provider.GetCredentialsAsync(operation.CancellationToken).ConfigureAwait(false)
                : provider.GetCredentials(operation.CancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !operation.CancellationToken.IsCancellationRequested)
        {
            throw new AwsSourceException($"the {ProviderSource} ({provider.GetType().Name}) failed: {e.GetType().Name}: {e.Message.TrimEnd('.')}", e);
        }

        return credentials ?? throw new AwsSourceException($"the {ProviderSource} ({provider.GetType().Name}) returned no credentials");
    }

    private async Task<ResolvedAwsCredentials> FetchAsync(
        string name, Func<AwsDependencies, OperationContext, Task<AwsCredentials>> fetch, List<string> tried, OperationContext operation)
    {
        try
        {
            var credentials = await fetch(Dependencies, operation).ConfigureAwait(false);
            var now = Dependencies.Clock.GetUtcNow();
            if (credentials.Expiration is { } expiration && expiration <= now)
            {
                throw new AwsSourceException($"the credentials it returned expired at {expiration:u}");
            }

            Dependencies.Cache.Offer(credentials, name, now);
            return new(credentials, name);
        }
        catch (AwsSourceException e)
        {
            tried.Add($"{name}: {e.Message}");
            throw new AwsSourceException(NoCredentials(tried), e);
        }
    }

    private static string NoCredentials(List<string> tried)
    {
        var text = new StringBuilder("MONGODB-AWS found no usable AWS credentials. Tried, in order: ");
        for (var i = 0; i < tried.Count; i++)
        {
            text.Append(i == 0 ? "" : "; ").Append(i + 1).Append(". ").Append(tried[i]);
        }

        return text.Append(". Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run where a role is attached (EKS, ECS, EC2, Lambda), " +
            "or give explicit keys or an AWS_CREDENTIAL_PROVIDER in MongoClientSettings.Credential (docs/aws.md)").ToString();
    }
}
