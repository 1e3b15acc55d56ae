using System.Globalization;
using MongoAuth.Tests.Support;
using MongoDB.Bson;

namespace MongoAuth.Tests.Oidc;

/// <summary>
/// Runs tests/MongoAuth.Oidc.Probe as a child process with an environment of its own: every cloud and token-file
/// variable of this process is removed, then the case's variables are set, so Azure.Identity, Google.Apis.Auth and
/// ENVIRONMENT:test see only what the test chose, and this process's environment never changes. Nothing on the machine
/// may take part: no shared AWS files, no instance metadata (the SDKs' own loopback settings are the only endpoints).
/// </summary>
internal static class OidcProbe
{
    // Variables Azure.Identity/MSAL, Google.Apis.Auth, the AWS SDK and our ENVIRONMENT:test/k8s read.
    private static readonly string[] CloudPrefixes = ["AZURE_", "IDENTITY_", "MSI_", "IMDS_", "GCE_", "GOOGLE_", "CLOUDSDK_", "OIDC_", "AWS_"];

    /// <summary>Runs one case and returns the probe's JSON line (outcome per mode: the user name, or {error, message}).</summary>
    public static Task<BsonDocument> RunAsync(string kind, int port, string? audience, IReadOnlyDictionary<string, string> environment) =>
        ProbeProcess.RunAsync(
            "MongoAuth.Oidc.Probe",
            audience is null ? [kind, port.ToString(CultureInfo.InvariantCulture)] : [kind, port.ToString(CultureInfo.InvariantCulture), audience],
            CloudPrefixes,
            environment);

    /// <summary>Asserts that each named outcome authenticated as <paramref name="user"/>.</summary>
    public static void AssertUser(BsonDocument outcome, string user, params string[] modes)
    {
        foreach (var mode in modes)
        {
            Assert.True(outcome[mode] == user, $"{mode}: {outcome}");
        }
    }
}
