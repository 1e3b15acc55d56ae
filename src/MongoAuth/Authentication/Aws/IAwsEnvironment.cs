namespace MongoAuth.Authentication.Aws;

/// <summary>
/// Where the built-in credential chain reads environment variables and files (web identity and ECS token files).
/// The process's own environment in production; an in-memory one in tests, so that no test changes the test
/// process's environment under others.
/// </summary>
internal interface IAwsEnvironment
{
    /// <summary>The variable's value; null when unset or empty.</summary>
    string? Variable(string name);

    /// <summary>The whole text of a file, blocking or not as <paramref name="isAsync"/> says.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    ValueTask<string> ReadFileAsync(string path, bool isAsync, CancellationToken cancellationToken);
}

/// <summary>The process's environment variables and file system.</summary>
internal sealed class ProcessAwsEnvironment : IAwsEnvironment
{
    private ProcessAwsEnvironment()
    {
    }

    /// <summary>The one instance.</summary>
    public static ProcessAwsEnvironment Instance { get; } = new();

    public string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    public async ValueTask<string> ReadFileAsync(string path, bool isAsync, CancellationToken cancellationToken) =>
        isAsync ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : File.ReadAllText(path);
}
