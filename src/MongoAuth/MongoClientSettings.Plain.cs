namespace MongoAuth;

public sealed partial record MongoClientSettings
{
    /// <summary>
    /// Lets PLAIN send the password over a connection whose server identity TLS did not verify (no TLS, or
    /// <c>tlsInsecure</c>/<c>tlsAllowInvalidCertificates</c>) to a host that is not loopback. Off by default: PLAIN
    /// sends the password itself, so anyone on the path, or anyone impersonating the server, could read it.
    /// Code only (no connection-string option), so that a copied URI cannot switch it on. Loopback hosts
    /// (localhost, 127.0.0.0/8, ::1) never need it.
    /// </summary>
    public bool AllowPlainOverUnverifiedConnection { get; init; }
}
