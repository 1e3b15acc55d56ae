using System.Security.Cryptography.X509Certificates;

namespace MongoAuth.Connections.Tls;

/// <summary>
/// The client certificate to present: the leaf, which always has its private key, and the intermediate CA
/// certificates found next to it, which the handshake sends so the server can build the chain.
/// </summary>
internal sealed record ClientCertificate(X509Certificate2 Certificate, X509Certificate2Collection Intermediates);
