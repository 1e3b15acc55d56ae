namespace MongoAuth.Authentication.Oidc;

/// <summary>ENVIRONMENT:test and ENVIRONMENT:k8s: the token is the (trimmed) contents of a file, read afresh on every call.</summary>
internal sealed class TokenFileCallback(string name, OidcHost host, Func<OidcHost, string> path) : IOidcCallback
{
    private string? _lastPath;

    /// <summary>The file the last call read (k8s picks one of three), for diagnostics such as <c>mongoauth check</c>.</summary>
    public string? LastPath => Volatile.Read(ref _lastPath);

    public OidcToken GetToken(OidcCallbackParameters parameters, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var file = path(host);
        Volatile.Write(ref _lastPath, file);
        string text;
        try
        {
            text = host.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MongoAuthenticationException($"MONGODB-OIDC with {name} could not read the token file '{file}': {e.Message}", e);
        }
        var token = text.Trim();
        return token.Length > 0 ? new OidcToken(token) : throw new MongoAuthenticationException($"MONGODB-OIDC with {name}: the token file '{file}' is empty.");
    }

    public Task<OidcToken> GetTokenAsync(OidcCallbackParameters parameters, CancellationToken cancellationToken) =>
        Task.FromResult(GetToken(parameters, cancellationToken));

    public override string ToString() => name;
}
