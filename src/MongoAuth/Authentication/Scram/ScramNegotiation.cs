namespace MongoAuth.Authentication.Scram;

/// <summary>
/// Default mechanism negotiation (auth spec, "default mechanism"): used when a user name is given without a
/// mechanism. The handshake asks for <c>saslSupportedMechs</c> and the reply picks SCRAM-SHA-256 or SCRAM-SHA-1.
/// </summary>
internal static class ScramNegotiation
{
    /// <summary>The mechanism to speculate with before the server has answered.</summary>
    public const string SpeculativeMechanism = "SCRAM-SHA-256";

    /// <summary>The hello field value <c>"&lt;source&gt;.&lt;username&gt;"</c>, user name exactly as given (no SASLprep).</summary>
    public static string SaslSupportedMechsQuery(string source, string username) => $"{source}.{username}";

    /// <summary>
    /// SCRAM-SHA-256 when the reply lists it, otherwise SCRAM-SHA-1 (even when the list is absent or names only
    /// mechanisms we do not know). The list is not validated: unknown names are ignored, never an error.
    /// </summary>
    public static string Choose(IEnumerable<string>? saslSupportedMechs) =>
        saslSupportedMechs?.Contains(SpeculativeMechanism, StringComparer.Ordinal) == true
            ? SpeculativeMechanism
            : ScramAlgorithm.Sha1.MechanismName;
}
