using Azure.Core;
using MongoAuth.Azure;
using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.Oidc;

/// <summary>
/// The Azure adapter end to end: a <see cref="TokenCredential"/> becomes the OIDC callback (scope
/// <c>&lt;audience&gt;/.default</c>, lifetime from ExpiresOn), and its token (minted by the test issuer) authenticates
/// against the test server. The credential is an in-process fake, so nothing here reaches Azure.
/// </summary>
public sealed class OidcAdapterTests
{
    private sealed class FakeAzureCredential(Func<string> token) : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken(token(), DateTimeOffset.UtcNow.AddMinutes(30));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    private static MongoClientSettings With(OidcTestServer server, MongoAuth.Authentication.Oidc.IOidcCallback callback) =>
        MongoClientSettings.FromConnectionString($"mongodb://127.0.0.1:{server.Server.Port}/?serverSelectionTimeoutMS=10000") with
        {
            Credential = MongoCredential.CreateOidcCredential().WithMechanismProperty("OIDC_CALLBACK", callback),
        };

    [Theory, BothModes]
    public async Task An_Azure_TokenCredential_becomes_the_callback_for_the_audience(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var credential = new FakeAzureCredential(() => server.Token());
        await using var client = new MongoClient(With(server, AzureOidcCallback.Create(credential, "api://mongodb")));

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal(OidcTestServer.User, Assert.Single(status.AuthenticatedUsers).User);
        Assert.Equal(["api://mongodb/.default"], credential.Scopes);
        var token = await AzureOidcCallback.Create(credential, "api://mongodb/.default").GetTokenAsync(new(null, TimeSpan.FromMinutes(1)), default);
        Assert.InRange(token.ExpiresIn!.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
    }
}
