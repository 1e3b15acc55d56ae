using System.Text.Json;
using MongoAuth.Authentication.Oidc;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Oidc;

namespace MongoAuth.Tests.Reference;

/// <summary>
/// The Node.js driver's MONGODB-OIDC against the test server (tests/node/oidc.js), with
/// <c>@mongodb-js/oidc-mock-provider</c> as the issuer, so neither the client nor the issuer was written here: the
/// machine callback with a 391 reauthentication, ENVIRONMENT:test, the human flow (IdP information, then the refresh
/// token on reauthentication) and ALLOWED_HOSTS. Our client, given a token from the same issuer, sees the same identity.
/// </summary>
public sealed class NodeDriverOidcTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_Node_driver_and_ours_authenticate_as_the_same_identity_with_every_flow()
    {
        using var process = NodeDriver.Start("oidc.js", "@mongodb-js/oidc-mock-provider");
        using var limit = new CancellationTokenSource(Limit);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        var tokenFile = Path.Combine(Path.GetTempPath(), $"oidc-node-{Guid.NewGuid():N}");
        try
        {
            var hello = await process.StandardOutput.ReadLineAsync(limit.Token) ?? throw new InvalidOperationException($"oidc.js printed nothing: {await stderr}");
            using var issuerInfo = JsonDocument.Parse(hello);
            var issuer = issuerInfo.RootElement.GetProperty("issuer").GetString()!;
            var subject = issuerInfo.RootElement.GetProperty("subject").GetString()!;
            await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), limit.Token);
            using var mechanism = new OidcServerMechanism(new OidcServerOptions { Issuer = issuer, Audience = issuerInfo.RootElement.GetProperty("audience").GetString()! }, server.Users);
            server.RegisterMechanism(mechanism);
            server.Users.AddExternalUser(subject, [new GrantedRole("readWrite", "app")]);

            await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { port = server.Port, tokenFile }));
            await process.StandardInput.FlushAsync(limit.Token);
            var output = await process.StandardOutput.ReadLineAsync(limit.Token) ?? throw new InvalidOperationException($"oidc.js gave no result: {await stderr}");
            await process.WaitForExitAsync(limit.Token);
            using var outcomes = JsonDocument.Parse(output);
            var byName = outcomes.RootElement.EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
            var describe = $"Node.js saw: {output}\nstderr: {await stderr}";

            // Our client, with a token the same issuer minted for the same subject (read from the file oidc.js wrote).
            var token = (await File.ReadAllTextAsync(tokenFile, limit.Token)).Trim();
            var settings = MongoClientSettings.FromConnectionString($"mongodb://127.0.0.1:{server.Port}/?serverSelectionTimeoutMS=10000") with
            {
                Credential = MongoCredential.CreateOidcCredential().WithMechanismProperty("OIDC_CALLBACK",
                    OidcCallback.Create((_, _) => Task.FromResult(new OidcToken(token)))),
            };
            await using var ours = new MongoClient(settings);
            var status = await ours.GetConnectionStatusAsync(limit.Token);
            var ourIdentity = $"{Assert.Single(status.AuthenticatedUsers).User}@$external";
            Assert.Equal($"{subject}@$external", ourIdentity);

            foreach (var name in new[] { "machine callback", "ENVIRONMENT:test", "human callback" })
            {
                Assert.True(byName[name].TryGetProperty("user", out var user), $"{name} failed. {describe}");
                Assert.Equal(ourIdentity, user.GetString());
            }
            // The 391 made the machine callback run again (the connection's token was invalidated).
            Assert.Equal(2, byName["machine callback"].GetProperty("calls").GetArrayLength());
            var human = byName["human callback"].GetProperty("calls").EnumerateArray().ToArray();
            Assert.True(human.Length == 2, describe);
            Assert.Equal(issuer, human[0].GetProperty("idpInfo").GetProperty("issuer").GetString());
            Assert.Equal("mongoauth-human-client", human[0].GetProperty("idpInfo").GetProperty("clientId").GetString());
            Assert.Equal(JsonValueKind.Null, human[0].GetProperty("refreshToken").ValueKind);
            Assert.Equal(JsonValueKind.String, human[1].GetProperty("refreshToken").ValueKind); // handed back on reauthentication
            var refused = byName["ALLOWED_HOSTS refuses"];
            Assert.Contains("ALLOWED_HOSTS", refused.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, refused.GetProperty("calls").GetArrayLength());
            Assert.True(mechanism.VerifiedTokens >= 6, $"{mechanism.VerifiedTokens} tokens verified. {describe}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            File.Delete(tokenFile);
        }
    }
}
