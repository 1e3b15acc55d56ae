using System.Collections;
using MongoAuth.Operations;
using MongoDB.Bson;

namespace MongoAuth.Authentication.Oidc;

/// <summary>
/// MONGODB-OIDC, one instance per client (so its token cache is client-wide). Machine flow: one saslStart with
/// <c>{jwt}</c> from the cache or the callback / built-in environment. Human flow: the cached token, else a refresh
/// through the callback, else the two-step conversation (principal name, IdP information from the server, callback,
/// <c>{jwt}</c>). A cached token rides in hello (speculative authentication); a refused cached token (code 18) is
/// invalidated and the conversation runs once more with a fresh one; after 391 the connection's token is invalidated
/// and a SASL-only conversation runs on the same connection (the driver's reauthentication path).
/// </summary>
internal sealed class OidcMechanism : ISpeculativeSaslMechanism, IReauthenticatingMechanism, IAuthenticationErrorHandler, IRetryingSaslMechanism
{
    /// <summary>The machine callback's time limit when no deadline is nearer (authentication specification).</summary>
    internal static readonly TimeSpan MachineTimeout = TimeSpan.FromMinutes(1);

    /// <summary>The human callback's fixed time limit (authentication specification).</summary>
    internal static readonly TimeSpan HumanTimeout = TimeSpan.FromMinutes(5);

    private readonly IOidcCallback _callback;
    private readonly string? _username;
    private readonly IReadOnlyList<string> _allowedHosts;

    /// <summary>Creates the mechanism of one client; <see cref="OidcDescriptor"/> has validated the credential.</summary>
    public OidcMechanism(MongoCredential credential, OidcHost? host = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        OidcDescriptor.Instance.Validate(credential);
        host ??= OidcHost.Default;
        _username = credential.Username;
        var properties = credential.MechanismProperties;
        if (properties.GetValueOrDefault(OidcDescriptor.Environment) is string environment)
        {
            _callback = OidcEnvironments.Create(environment, properties.GetValueOrDefault(OidcDescriptor.TokenResource) as string, host);
            TokenSource = $"ENVIRONMENT:{environment.ToLowerInvariant()}";
        }
        else if (properties.GetValueOrDefault(OidcDescriptor.HumanCallback) is IOidcCallback human)
        {
            _callback = human;
            IsHuman = true;
            TokenSource = OidcDescriptor.HumanCallback;
        }
        else
        {
            _callback = (IOidcCallback)properties[OidcDescriptor.Callback];
            TokenSource = OidcDescriptor.Callback;
        }
        _allowedHosts = properties.GetValueOrDefault(OidcDescriptor.AllowedHosts) is IEnumerable hosts
            ? [.. hosts.Cast<string>()]
            : AllowedHosts.Default;
        Cache = new OidcTokenCache(host.Clock);
    }

    public string Name => OidcDescriptor.MechanismName;

    public string Source => AuthSourceRule.External;

    /// <summary>Where tokens come from: OIDC_CALLBACK, OIDC_HUMAN_CALLBACK or ENVIRONMENT:&lt;name&gt;.</summary>
    public string TokenSource { get; }

    /// <summary>
    /// Where tokens come from, for diagnostics (<c>mongoauth check</c>): <see cref="TokenSource"/> with the token file
    /// last read (ENVIRONMENT test and k8s) or the callback's description. Never holds a token.
    /// </summary>
    internal string TokenOrigin => _callback switch
    {
        TokenFileCallback { LastPath: { } path } => $"{TokenSource}, token file {path}",
        TokenFileCallback or AzureImdsCallback or GcpMetadataCallback => TokenSource,
        _ => $"{TokenSource} ({_callback})",
    };

    /// <summary>Whether this is the human (workforce) flow.</summary>
    public bool IsHuman { get; }

    /// <summary>The client cache.</summary>
    internal OidcTokenCache Cache { get; }

    /// <summary>Speculate only with a cached token (authentication specification): fetching one belongs to the conversation.</summary>
    public bool CanSpeculate => Cache.Current is not null;

    public ISaslStep CreateFirstStep(SaslConversationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new FirstStep(this, context);
    }

    public void PrepareReauthentication(SaslConversationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ConnectionCache.Value is OidcConnectionState state)
        {
            Cache.Invalidate(state.Token);
        }
        context.ConnectionCache.Value = null;
    }

    public void OnAuthenticationFailed(SaslConversationContext context, int? serverErrorCode, bool speculative)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (speculative)
        {
            // A failed speculation clears the connection's state only; the cached token is judged by the conversation that follows.
            context.ConnectionCache.Value = null;
        }
    }

    public bool ShouldRetry(SaslConversationContext context, MongoAuthenticationException failure)
    {
        if (failure.ServerErrorCode != 18 || context.ConnectionCache.Value is not OidcConnectionState state)
        {
            return false;
        }
        context.ConnectionCache.Value = null;
        if (state.FromCache)
        {
            // The server refused a token it was not the first to see: it expired or was revoked. Fetch a new one.
            Cache.Invalidate(state.Token);
            return true;
        }
        if (IsHuman && state.FromRefresh)
        {
            // What the refresh token produced was refused: start over with the two-step conversation.
            Cache.Invalidate(state.Token);
            Cache.DropRefreshToken(Cache.RefreshToken);
            return true;
        }
        return false;
    }

    internal static ReadOnlyMemory<byte> JwtPayload(string token) => new BsonDocument("jwt", token).ToBson();

    /// <summary>Calls the callback under the client cache's rules (one at a time, cache re-checked), within its timeout.</summary>
    private Task<(OidcCachedToken Token, bool Fetched)> TokenAsync(OidcIdpInfo? idpInfo, bool allowCached, bool withRefreshToken, OperationContext operation) =>
        Cache.GetOrFetchAsync(refreshToken => CallAsync(idpInfo, withRefreshToken ? refreshToken : null, operation), TokenSource, allowCached, operation);

    private async Task<OidcToken> CallAsync(OidcIdpInfo? idpInfo, string? refreshToken, OperationContext operation)
    {
        // Machine flow: the operation's remaining time, at most a minute; when the operation's deadline is the nearer
        // limit its own token ends the call (and the failure is the operation's timeout, naming the option).
        var deadlineBound = !IsHuman && operation.Remaining is { } left && left < MachineTimeout;
        var timeout = IsHuman ? HumanTimeout : deadlineBound ? operation.Remaining!.Value : MachineTimeout;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(operation.CancellationToken);
        if (!deadlineBound)
        {
            limit.CancelAfter(timeout);
        }
        var parameters = new OidcCallbackParameters(_username, timeout, idpInfo, refreshToken);
        OidcToken? result;
        try
        {
            result = operation.IsAsync
                ? await _callback.GetTokenAsync(parameters, limit.Token).ConfigureAwait(false)
                : _callback.GetToken(parameters, limit.Token);
        }
        catch (OperationCanceledException e) when (limit.IsCancellationRequested && !operation.CancellationToken.IsCancellationRequested)
        {
            throw new MongoAuthenticationException($"the {TokenSource} token source did not return within {timeout.TotalSeconds:0.###} s", e);
        }
        return result ?? throw new MongoAuthenticationException($"the {TokenSource} token source returned no token (null)");
    }

    private bool IsAllowed(string host) => AllowedHosts.Allows(_allowedHosts, host);

    /// <summary>
    /// The first step: a cached or fetched token in one saslStart, or (human flow without a token or refresh token)
    /// the principal name that asks the server for its IdP information.
    /// </summary>
    private sealed class FirstStep(OidcMechanism mechanism, SaslConversationContext context) : IContextualSaslStep
    {
        public ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, CancellationToken cancellationToken) =>
            ExecuteAsync(serverPayload, OperationContext.Start(isAsync: true, cancellationToken));

        public async ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, OperationContext operation)
        {
            if (mechanism.IsHuman && !mechanism.IsAllowed(context.Endpoint.Host))
            {
                throw new MongoAuthenticationException(
                    $"the host '{context.Endpoint.Host}' is not in ALLOWED_HOSTS ({string.Join(", ", mechanism._allowedHosts)}), so no token is sent to it and the human callback was not called. " +
                    "Add the host to ALLOWED_HOSTS if it is a server you trust.");
            }
            if (!mechanism.IsHuman)
            {
                var (token, fetched) = await mechanism.TokenAsync(null, allowCached: true, withRefreshToken: false, operation).ConfigureAwait(false);
                context.ConnectionCache.Value = new OidcConnectionState(token, FromCache: !fetched, FromRefresh: false);
                return new SaslStepResult(JwtPayload(token.AccessToken), null);
            }
            var cache = mechanism.Cache;
            if (cache.Current is { } cached)
            {
                context.ConnectionCache.Value = new OidcConnectionState(cached, FromCache: true, FromRefresh: false);
                return new SaslStepResult(JwtPayload(cached.AccessToken), null);
            }
            if (cache.IdpInfo is { } idpInfo && cache.RefreshToken is not null)
            {
                var (token, fetched) = await mechanism.TokenAsync(idpInfo, allowCached: true, withRefreshToken: true, operation).ConfigureAwait(false);
                context.ConnectionCache.Value = new OidcConnectionState(token, FromCache: !fetched, FromRefresh: fetched);
                return new SaslStepResult(JwtPayload(token.AccessToken), null);
            }
            var principal = new BsonDocument();
            if (mechanism._username is { } name)
            {
                principal["n"] = name;
            }
            return new SaslStepResult(principal.ToBson(), new IdpInfoStep(mechanism, context));
        }
    }

    /// <summary>The human flow's second step: the server's IdP information → the callback (without a refresh token) → <c>{jwt}</c>.</summary>
    private sealed class IdpInfoStep(OidcMechanism mechanism, SaslConversationContext context) : IContextualSaslStep
    {
        public ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, CancellationToken cancellationToken) =>
            ExecuteAsync(serverPayload, OperationContext.Start(isAsync: true, cancellationToken));

        public async ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, OperationContext operation)
        {
            var info = ParseIdpInfo(serverPayload);
            mechanism.Cache.SetIdpInfo(info);
            // A two-step conversation never hands the callback an old refresh token (authentication specification).
            var (token, fetched) = await mechanism.TokenAsync(info, allowCached: false, withRefreshToken: false, operation).ConfigureAwait(false);
            context.ConnectionCache.Value = new OidcConnectionState(token, FromCache: !fetched, FromRefresh: false);
            return new SaslStepResult(JwtPayload(token.AccessToken), null);
        }

        private static OidcIdpInfo ParseIdpInfo(ReadOnlyMemory<byte> payload)
        {
            BsonDocument document;
            try
            {
                document = MongoDB.Bson.Serialization.BsonSerializer.Deserialize<BsonDocument>(payload.ToArray());
            }
            catch (Exception e) when (e is FormatException or EndOfStreamException or IOException or InvalidOperationException)
            {
                throw new MongoAuthenticationException("the server's IdP information is not a BSON document", e);
            }
            if (document.GetValue("issuer", BsonNull.Value) is not BsonString { Value.Length: > 0 } issuer)
            {
                throw new MongoAuthenticationException("the server's IdP information has no issuer");
            }
            var clientId = document.GetValue("clientId", BsonNull.Value) is BsonString id ? id.Value : null;
            var scopes = document.GetValue("requestScopes", BsonNull.Value) is BsonArray array
                ? array.OfType<BsonString>().Select(s => s.Value).ToArray()
                : [];
            return new OidcIdpInfo(issuer.Value, clientId, scopes);
        }
    }
}
