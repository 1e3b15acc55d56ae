namespace MongoAuth.Authentication.Aws;

/// <summary>
/// What the built-in credential chain reads and talks to: the environment, HTTP, the credential cache and the clock.
/// <see cref="Default"/> in production; tests build their own (an in-memory environment, a handler mapping the fixed
/// hosts to loopback fakes, a private cache, a clock they move).
/// </summary>
internal sealed record AwsDependencies(IAwsEnvironment Environment, AwsHttp Http, AwsCredentialCache Cache, TimeProvider Clock)
{
    /// <summary>The process's environment, direct HTTP, the process-wide cache and the system clock.</summary>
    public static AwsDependencies Default { get; } = new(ProcessAwsEnvironment.Instance, AwsHttp.Default, AwsCredentialCache.Shared, TimeProvider.System);
}
