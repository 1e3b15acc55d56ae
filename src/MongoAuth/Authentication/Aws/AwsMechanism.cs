namespace MongoAuth.Authentication.Aws;

/// <summary>
/// MONGODB-AWS (MongoDB authentication specification): the client proves it holds AWS credentials by signing an STS
/// GetCallerIdentity request that the server forwards to STS. One instance per client; each connection runs its own
/// <see cref="AwsConversation"/>. The credentials come from <see cref="AwsCredentialChain"/>; when authentication fails
/// for any reason the process-wide cache of fetched credentials is cleared, as the specification requires, so the next
/// attempt fetches afresh.
/// </summary>
internal sealed class AwsMechanism : ISaslMechanism, IAuthenticationErrorHandler
{
    internal const string MechanismName = AwsDescriptor.MechanismName;

    private string? _lastSource;

    /// <summary>Creates the mechanism; throws <see cref="MongoConfigurationException"/> for a bad credential.</summary>
    /// <param name="credential">Explicit keys (user = access key id, password = secret, AWS_SESSION_TOKEN), a provider, or neither.</param>
    /// <param name="dependencies">Environment, HTTP, cache and clock; null = the process's.</param>
    internal AwsMechanism(MongoCredential credential, AwsDependencies? dependencies = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        AwsDescriptor.Instance.Validate(credential);
        Source = AwsDescriptor.Instance.ResolveSource(credential);
        var explicitKeys = credential.Username is { } key
            ? new AwsCredentials(key, credential.Password!, credential.MechanismProperties.GetValueOrDefault(AwsDescriptor.SessionToken) as string)
            : null;
        var provider = credential.MechanismProperties.GetValueOrDefault(AwsDescriptor.CredentialProvider) as IAwsCredentialProvider;
        Chain = new AwsCredentialChain(explicitKeys, provider, dependencies ?? AwsDependencies.Default);
    }

    public string Name => MechanismName;

    public string Source { get; }

    internal AwsCredentialChain Chain { get; }

    /// <summary>Where the credentials of the latest conversation came from (for <c>mongoauth check</c>); null before any.</summary>
    internal string? LastCredentialSource => Volatile.Read(ref _lastSource);

    public ISaslStep CreateFirstStep(SaslConversationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new AwsConversation(this);
    }

    public void OnAuthenticationFailed(SaslConversationContext context, int? serverErrorCode, bool speculative) => Chain.Dependencies.Cache.Clear();

    internal void Used(string source) => Volatile.Write(ref _lastSource, source);
}
