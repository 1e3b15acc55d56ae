namespace MongoAuth.Authentication;

/// <summary>
/// The mechanisms every client knows without registration. This list is the one place to add a built-in: each
/// entry is the name and a factory that validates the credential and builds the mechanism once per client.
/// </summary>
internal static class BuiltInMechanisms
{
    internal static readonly (string Name, MechanismFactory Factory)[] All =
    [
        ("SCRAM-SHA-1", (credential, settings) => new Scram.ScramSha1Mechanism(credential) { MaxIterationCount = settings.MaxScramIterationCount }),
        ("SCRAM-SHA-256", (credential, settings) => new Scram.ScramSha256Mechanism(credential) { MaxIterationCount = settings.MaxScramIterationCount }),
        ("PLAIN", (credential, settings) => new Plain.PlainMechanism(credential, settings.AllowPlainOverUnverifiedConnection)),
        ("GSSAPI", (credential, _) => new Gssapi.GssapiMechanism(credential)),
        ("MONGODB-X509", (credential, settings) => new X509.X509Mechanism(credential, settings)),
    ];
}
