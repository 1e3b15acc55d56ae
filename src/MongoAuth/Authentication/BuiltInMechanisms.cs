namespace MongoAuth.Authentication;

/// <summary>
/// The mechanisms every client knows without registration: one descriptor per folder under <c>Authentication/</c>.
/// This list is the one place to add a built-in.
/// </summary>
internal static class BuiltInMechanisms
{
    internal static readonly MechanismDescriptor[] All =
    [
        Scram.ScramDescriptor.Sha1,
        Scram.ScramDescriptor.Sha256,
        Plain.PlainDescriptor.Instance,
        Gssapi.GssapiDescriptor.Instance,
        X509.X509Descriptor.Instance,
        Aws.AwsDescriptor.Instance,
        Oidc.OidcDescriptor.Instance,
    ];

    /// <summary>The rules of a credential without a mechanism (SCRAM, negotiated with the server).</summary>
    internal static MechanismDescriptor Negotiated => Scram.ScramDescriptor.Negotiated;

    /// <summary>The built-in descriptor of <paramref name="mechanism"/> (any case), the negotiated rules for null,
    /// or null for a mechanism that is not built in.</summary>
    internal static MechanismDescriptor? Find(string? mechanism) => mechanism is null
        ? Negotiated
        : Array.Find(All, d => string.Equals(d.Name, mechanism, StringComparison.OrdinalIgnoreCase));
}
