using System.Globalization;

namespace MongoAuth.Ldap;

/// <summary>LDAP result codes (RFC 4511 §4.1.9 and libldap's client-side codes) in plain words.</summary>
internal static class LdapResultCodes
{
    public const int NoSuchObject = 32;
    public const int InvalidDnSyntax = 34;
    public const int InvalidCredentials = 49;
    public const int Busy = 51;
    public const int Unavailable = 52;
    public const int ServerDown = 81;
    public const int Timeout = 85;
    public const int ConnectError = 91;

    /// <summary>"plain words (LDAP result N, name)".</summary>
    public static string Describe(int code)
    {
        var (name, words) = code switch
        {
            1 => ("operationsError", "the server reported an internal operations error"),
            2 => ("protocolError", "the server did not understand the request"),
            3 => ("timeLimitExceeded", "the search took longer than the server allows"),
            4 => ("sizeLimitExceeded", "the search matched more entries than the server returns"),
            7 => ("authMethodNotSupported", "the server does not support this bind method"),
            8 => ("strongerAuthRequired", "the server requires a stronger bind (TLS or SASL)"),
            10 => ("referral", "the entry lives on another server (referrals are not followed)"),
            13 => ("confidentialityRequired", "the server requires TLS (use ldaps or StartTLS)"),
            16 => ("noSuchAttribute", "the attribute does not exist"),
            NoSuchObject => ("noSuchObject", "the entry does not exist (check the base DN)"),
            InvalidDnSyntax => ("invalidDNSyntax", "the server rejected a distinguished name as malformed"),
            48 => ("inappropriateAuthentication", "the server refused an anonymous or empty-password bind"),
            InvalidCredentials => ("invalidCredentials", "the DN or password was rejected"),
            50 => ("insufficientAccessRights", "the bound identity may not read this"),
            Busy => ("busy", "the server is too busy"),
            Unavailable => ("unavailable", "the server is shutting down or unavailable"),
            53 => ("unwillingToPerform", "the server refused the operation"),
            80 => ("other", "the server reported an unspecified error"),
            ServerDown => ("serverDown", "the LDAP server could not be reached"),
            Timeout => ("timeout", "the LDAP server did not answer in time"),
            87 => ("filterError", "the search filter is malformed"),
            ConnectError => ("connectError", "the connection to the LDAP server failed"),
            _ => ("code " + code.ToString(CultureInfo.InvariantCulture), "the operation failed"),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{words} (LDAP result {code}, {name})");
    }
}
