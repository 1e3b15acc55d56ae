using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication.Oidc;

namespace MongoAuth.Cli.Commands;

/// <summary>
/// MONGODB-OIDC on the dev server (<c>--oidc-user</c>): an in-process issuer on 127.0.0.1 that the server trusts, a
/// token file per user for <c>ENVIRONMENT:test</c> (rewritten at half the token lifetime, so it never goes stale while
/// the server runs), and loopback stand-ins for the cloud identity endpoints the SDKs of MongoAuth.Azure and
/// MongoAuth.Google call, so the cloud samples run against the dev server unchanged: Azure App Service managed identity
/// (<c>IDENTITY_ENDPOINT</c> + <c>IDENTITY_HEADER</c>), the Azure IMDS path (<c>AZURE_POD_IDENTITY_AUTHORITY_HOST</c>) and
/// the Compute Engine metadata server (<c>GCE_METADATA_HOST</c>). The cloud endpoints answer as the first user, with a
/// token for the audience the client asked for (a wrong audience is then refused by the server, as Atlas would).
/// </summary>
internal sealed class DevOidcIdentities : IAsyncDisposable
{
    private readonly TestOidcIssuer _issuer;
    private readonly OidcServerMechanism _mechanism;
    private readonly LoopbackHttpServer _cloud;
    private readonly ServeOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _refresh;

    private DevOidcIdentities(TestOidcIssuer issuer, OidcServerMechanism mechanism, ServeOptions options, string directory)
    {
        _issuer = issuer;
        _mechanism = mechanism;
        _options = options;
        Directory = directory;
        IdentityHeader = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        _cloud = new LoopbackHttpServer(AnswerCloud);
        WriteTokenFiles();
        _refresh = RefreshAsync(_stop.Token);
    }

    /// <summary>Where the token files are.</summary>
    public string Directory { get; }

    /// <summary>The issuer URL the server trusts.</summary>
    public string Issuer => _issuer.Issuer;

    /// <summary>The value the App Service stand-in expects in <c>X-IDENTITY-HEADER</c> (as App Service sets <c>IDENTITY_HEADER</c>).</summary>
    public string IdentityHeader { get; }

    /// <summary>The App Service managed identity endpoint (<c>IDENTITY_ENDPOINT</c>).</summary>
    public string AzureIdentityEndpoint => $"{_cloud.BaseUrl}/msi/token";

    /// <summary>The host of the IMDS and Compute Engine stand-ins (<c>AZURE_POD_IDENTITY_AUTHORITY_HOST</c> is it with http://; <c>GCE_METADATA_HOST</c> without).</summary>
    public string MetadataHost => $"127.0.0.1:{_cloud.Port}";

    /// <summary>The token file of <paramref name="user"/> (<c>OIDC_TOKEN_FILE</c>).</summary>
    public string TokenFile(string user) => Path.Combine(Directory, $"oidc-{string.Concat(user.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'))}.jwt");

    /// <summary>Starts the issuer, registers MONGODB-OIDC on <paramref name="server"/> and adds the users (role root@admin).</summary>
    public static async Task<DevOidcIdentities> StartAsync(MongoTestServer server, ServeOptions options, string directory, CancellationToken cancellationToken)
    {
        var issuer = new TestOidcIssuer();
        var mechanism = new OidcServerMechanism(new OidcServerOptions { Issuer = issuer.Issuer, Audience = options.OidcAudience }, server.Users);
        try
        {
            await mechanism.LoadKeysAsync(cancellationToken).ConfigureAwait(false);
            server.RegisterMechanism(mechanism);
            foreach (var user in options.OidcUsers.Distinct(StringComparer.Ordinal))
            {
                server.Users.AddExternalUser(user, [ServeOptions.DefaultRole]);
            }
            return new DevOidcIdentities(issuer, mechanism, options, directory);
        }
        catch
        {
            mechanism.Dispose();
            await issuer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The ready lines: ENVIRONMENT:test per user, then the cloud adapters (as the first user).</summary>
    public IEnumerable<(string What, string Uri)> ConnectionStrings(string hostPort, string tls)
    {
        var about = $"issuer {Issuer}, audience {_options.OidcAudience}";
        // Every VARIABLE=value is followed by a space, so scripts can cut the value at the first blank.
        foreach (var user in _options.OidcUsers.Distinct(StringComparer.Ordinal))
        {
            yield return ($"MONGODB-OIDC user {user} with ENVIRONMENT:test; run the client with OIDC_TOKEN_FILE={TokenFile(user)} ({about})",
                $"mongodb://{hostPort}/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:test{tls}");
        }
        var first = _options.OidcUsers[0];
        // The callback comes from code, so the line holds only the transport options.
        var plain = $"mongodb://{hostPort}/{(tls.Length > 0 ? "?" + tls[1..] : "")}";
        yield return ($"MONGODB-OIDC user {first} through MongoAuth.Azure; run the client with IDENTITY_ENDPOINT={AzureIdentityEndpoint} " +
            $"IDENTITY_HEADER={IdentityHeader} (App Service) or AZURE_POD_IDENTITY_AUTHORITY_HOST=http://{MetadataHost} (IMDS), " +
            $"a ManagedIdentityCredential and the audience {_options.OidcAudience} (callback from code)", plain);
        yield return ($"MONGODB-OIDC user {first} through MongoAuth.Google; run the client with GCE_METADATA_HOST={MetadataHost} " +
            $"(Compute Engine metadata), a ComputeCredential and the audience {_options.OidcAudience} (callback from code)", plain);
    }

    private string Mint(string user, string audience) => _issuer.CreateToken(user, _options.OidcTokenLifetime, audience);

    private void WriteTokenFiles()
    {
        foreach (var user in _options.OidcUsers.Distinct(StringComparer.Ordinal))
        {
            // Written aside and moved over the old file, so a client never reads half a token.
            var file = TokenFile(user);
            File.WriteAllText(file + ".new", Mint(user, _options.OidcAudience));
            File.Move(file + ".new", file, overwrite: true);
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.OidcTokenLifetime / 2);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                WriteTokenFiles();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private LoopbackHttpResponse AnswerCloud(LoopbackHttpRequest request)
    {
        var user = _options.OidcUsers[0];
        var query = request.Query;
        switch (request.Path)
        {
            case "/msi/token" or "/metadata/identity/oauth2/token":
                var appService = request.Path == "/msi/token";
                if (appService ? Header(request, "x-identity-header") != IdentityHeader : Header(request, "metadata") != "true")
                {
                    return AzureError(appService ? "X-IDENTITY-HEADER is missing or not the dev server's IDENTITY_HEADER" : "Required metadata header not specified");
                }
                if (!query.TryGetValue("resource", out var resource) || resource.Length == 0)
                {
                    return AzureError("resource is required");
                }
                var expiresOn = DateTimeOffset.UtcNow.Add(_options.OidcTokenLifetime).ToUnixTimeSeconds();
                return new LoopbackHttpResponse(200, JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["access_token"] = Mint(user, resource),
                    ["expires_on"] = expiresOn.ToString(CultureInfo.InvariantCulture),
                    ["expires_in"] = ((long)_options.OidcTokenLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                    ["resource"] = resource,
                    ["token_type"] = "Bearer",
                }));
            case "/computeMetadata/v1/instance/service-accounts/default/identity":
                var google = new Dictionary<string, string> { ["Metadata-Flavor"] = "Google" };
                if (Header(request, "metadata-flavor") != "Google")
                {
                    return new LoopbackHttpResponse(403, "Missing Metadata-Flavor:Google header.", "text/plain", google);
                }
                return query.TryGetValue("audience", out var audience) && audience.Length > 0
                    ? new LoopbackHttpResponse(200, Mint(user, audience), "text/html", google)
                    : new LoopbackHttpResponse(400, "non-empty audience parameter required", "text/plain", google);
            default:
                return new LoopbackHttpResponse(404, "{}");
        }
    }

    private static string? Header(LoopbackHttpRequest request, string name) =>
        request.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static LoopbackHttpResponse AzureError(string description) =>
        new(400, JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = "invalid_request", ["error_description"] = description }));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _refresh.ConfigureAwait(false);
        _stop.Dispose();
        await _cloud.DisposeAsync().ConfigureAwait(false);
        _mechanism.Dispose();
        await _issuer.DisposeAsync().ConfigureAwait(false);
    }
}
