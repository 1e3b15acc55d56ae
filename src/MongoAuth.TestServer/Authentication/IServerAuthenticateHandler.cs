using System.Net;
using System.Security.Cryptography.X509Certificates;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Authentication;

/// <summary>What the server knows when it handles an <c>authenticate</c> command (MONGODB-X509).</summary>
/// <param name="Remote">The client's address.</param>
/// <param name="IsTls">Whether the connection is TLS.</param>
/// <param name="ClientCertificate">The client certificate TLS verified, or null.</param>
/// <param name="Command">The <c>authenticate</c> command (or the speculative one from hello).</param>
public sealed record ServerAuthenticateContext(EndPoint? Remote, bool IsTls, X509Certificate2? ClientCertificate,
    BsonDocument Command);

/// <summary>
/// The server side of a mechanism that uses the single-step <c>authenticate</c> command instead of SASL
/// (MONGODB-X509). Register it with <see cref="MongoTestServer.RegisterAuthenticateHandler"/>.
/// </summary>
public interface IServerAuthenticateHandler
{
    /// <summary>The mechanism name in the command's <c>mechanism</c> field.</summary>
    string Name { get; }

    /// <summary>
    /// Authenticates the connection; throws <see cref="ServerCommandException"/> to refuse it.
    /// </summary>
    AuthenticatedUser Authenticate(ServerAuthenticateContext context);
}
