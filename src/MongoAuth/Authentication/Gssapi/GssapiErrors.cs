namespace MongoAuth.Authentication.Gssapi;

/// <summary>GSSAPI error messages that say what failed and what to change. They never contain the password.</summary>
internal static class GssapiErrors
{
    internal static MongoAuthenticationException Failed(GssapiMechanism mechanism, string spn, GssException cause, string? step = null)
    {
        var user = mechanism.Username;
        var advice = cause.Kind switch
        {
            GssFailureKind.NoCredentials =>
                $"no password was given and the ticket cache ({TicketCache()}) holds no usable ticket for '{user}'; " +
                $"run 'kinit {user}' or give a password.",
            GssFailureKind.BadPassword => $"the KDC rejected the password of '{user}'.",
            GssFailureKind.UnknownClient => $"the KDC does not know the user principal '{user}'.",
            GssFailureKind.UnknownService =>
                $"the KDC does not know the service principal '{spn}'; check SERVICE_NAME, SERVICE_HOST, SERVICE_REALM " +
                "and CANONICALIZE_HOST_NAME.",
            GssFailureKind.KdcUnreachable =>
                "no KDC of the realm could be reached; check the realm's kdc entries in krb5.conf " +
                $"({Environment.GetEnvironmentVariable("KRB5_CONFIG") ?? "/etc/krb5.conf"}) and that the KDC is running.",
            GssFailureKind.LibraryMissing =>
                "the Kerberos GSSAPI library (libgssapi_krb5.so.2) is not installed; install libgssapi-krb5-2 " +
                "(Debian, Ubuntu) or krb5-libs (RHEL, Fedora).",
            _ => "set KRB5_TRACE=/dev/stderr to see the Kerberos library's trace.",
        };
        var where = step is null ? "" : $" while {step}";
        // The SASL loop wraps this in a message that names the mechanism, user and source: name only what it cannot.
        return new MongoAuthenticationException($"Kerberos failed for service principal '{spn}'{where}: {advice} ({cause.Message})", cause)
        {
            Mechanism = GssapiMechanism.MechanismName,
        };
    }

    internal static MongoAuthenticationException Protocol(string problem) =>
        new($"{problem}.")
        {
            Mechanism = GssapiMechanism.MechanismName,
        };

    private static string TicketCache() =>
        Environment.GetEnvironmentVariable("KRB5CCNAME") is { Length: > 0 } cache ? $"KRB5CCNAME={cache}" : "the default cache";
}
