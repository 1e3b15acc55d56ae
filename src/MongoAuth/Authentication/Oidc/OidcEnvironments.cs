namespace MongoAuth.Authentication.Oidc;

/// <summary>
/// The built-in token sources of the machine flow (MongoDB authentication specification, "Built-in OIDC Environment
/// Integrations"): each is an <see cref="IOidcCallback"/> without a cache of its own (the client's cache holds the
/// token). Chosen by <c>ENVIRONMENT</c>.
/// </summary>
internal static class OidcEnvironments
{
    public const string Test = "test";
    public const string Azure = "azure";
    public const string Gcp = "gcp";
    public const string K8s = "k8s";

    /// <summary>The callback of <paramref name="environment"/> (already validated by the descriptor).</summary>
    public static IOidcCallback Create(string environment, string? tokenResource, OidcHost host) => environment.ToLowerInvariant() switch
    {
        Test => new TokenFileCallback("ENVIRONMENT:test", host, h => h.GetEnvironmentVariable("OIDC_TOKEN_FILE")
            ?? throw new MongoAuthenticationException("MONGODB-OIDC with ENVIRONMENT:test reads the token from the file named by the OIDC_TOKEN_FILE environment variable, which is not set.")),
        K8s => new TokenFileCallback("ENVIRONMENT:k8s", host, KubernetesTokenPath),
        Azure => new AzureImdsCallback(tokenResource!, host),
        Gcp => new GcpMetadataCallback(tokenResource!, host),
        _ => throw new ArgumentOutOfRangeException(nameof(environment), environment, "Unknown OIDC environment."),
    };

    /// <summary>The default service-account token of a Kubernetes pod.</summary>
    internal const string ServiceAccountTokenPath = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    /// <summary>
    /// The k8s token file: AZURE_FEDERATED_TOKEN_FILE (AKS workload identity), else AWS_WEB_IDENTITY_TOKEN_FILE (EKS),
    /// else the pod's service-account token.
    /// </summary>
    internal static string KubernetesTokenPath(OidcHost host) =>
        host.GetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE") ?? host.GetEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE") ?? ServiceAccountTokenPath;
}
