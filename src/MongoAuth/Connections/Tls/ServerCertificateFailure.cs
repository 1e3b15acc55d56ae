namespace MongoAuth.Connections.Tls;

/// <summary>The server-certificate check that failed.</summary>
internal enum ServerCertificateCheck
{
    /// <summary>The server sent no certificate.</summary>
    Presence,

    /// <summary>The certificate does not chain to a trusted root (untrusted, self-signed, bad signature, wrong usage).</summary>
    Chain,

    /// <summary>A certificate in the chain is expired or not yet valid.</summary>
    Expiry,

    /// <summary>A certificate in the chain is revoked.</summary>
    Revocation,

    /// <summary>The certificate is not issued for the host name the client connected to.</summary>
    HostName,
}

/// <summary>
/// Why the server certificate was refused. <see cref="Message"/> says which check failed and which option would
/// change the outcome; the engine puts it in its connection exception.
/// </summary>
internal sealed record ServerCertificateFailure(ServerCertificateCheck Check, string Message);
