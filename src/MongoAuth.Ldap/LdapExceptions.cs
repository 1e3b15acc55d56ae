namespace MongoAuth.Ldap;

/// <summary>
/// An LDAP authorization setting is invalid: a malformed LDAP URL or filter, a query template without
/// <c>{USER}</c>, a bad userToDNMapping. The message names the setting and the rule broken.
/// </summary>
public sealed class LdapConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LdapConfigurationException(string message) : base(message) { }

    /// <summary>Creates the exception with a cause.</summary>
    public LdapConfigurationException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>
/// An LDAP operation failed (server down, bind rejected, search refused, …) or its answer could not be used.
/// The message says what was attempted, against which server, and what the LDAP result code means in plain words;
/// it never contains a password.
/// </summary>
public sealed class LdapOperationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LdapOperationException(string message, int? resultCode = null, Exception? innerException = null)
        : base(message, innerException) => ResultCode = resultCode;

    /// <summary>The LDAP result code (RFC 4511 §4.1.9, plus client-side codes such as 81 server down), when known.</summary>
    public int? ResultCode { get; }

    /// <summary>Whether the server could not be reached or did not answer (a retry elsewhere may work).</summary>
    public bool IsServerUnavailable => ResultCode is LdapResultCodes.ServerDown or LdapResultCodes.ConnectError
        or LdapResultCodes.Unavailable or LdapResultCodes.Busy or LdapResultCodes.Timeout;
}
