using MongoAuth.Connections;

namespace MongoAuth.Cli.Commands;

/// <summary>
/// What <c>check</c> adds to a failure for the common misconfigurations, from the failure and the settings only (a pure
/// function, so each rule is tested on its own): TLS off against a TLS server, no client certificate for a server that
/// requires one, and a user looked up in the wrong database (authSource).
/// </summary>
internal static class CheckHints
{
    /// <param name="failure">What the first operation threw.</param>
    /// <param name="settings">The settings the client was built from.</param>
    /// <param name="authSourceGiven">Whether the connection string set authSource (false from code or the dev server).</param>
    /// <param name="lastStep">The last connection step that completed (tcp, tls, hello, auth), if any.</param>
    public static IEnumerable<string> For(MongoException failure, MongoClientSettings settings, bool authSourceGiven, string? lastStep)
    {
        var closedDuringHandshake = failure is MongoConnectionException { DuringAuthentication: false } and not MongoOperationTimeoutException
            && lastStep is "tcp" or "tls";
        if (!settings.UseTls && closedDuringHandshake && failure.Message.Contains(ConnectionFactory.TlsExpectedHint, StringComparison.Ordinal))
        {
            yield return "the server expects TLS: add tls=true (and tlsCAFile=<its CA file> when its certificate is not from a CA this machine trusts)";
        }
        if (settings.UseTls && settings.Tls.ClientCertificates is not { Count: > 0 } && settings.Tls.CertificateKeyFile is null && closedDuringHandshake)
        {
            yield return "the server closed the connection during the TLS handshake or hello: if it requires a client certificate, set tlsCertificateKeyFile=<client.pem>";
        }
        if (failure is MongoAuthenticationException { ServerErrorCode: 18, AuthSource: { } source } auth && source != "$external")
        {
            if (!authSourceGiven && settings.DefaultDatabase is { } database && database == source && source != "admin")
            {
                yield return $"the user is looked up in '{source}', the database in the connection string's path, because authSource is not set: " +
                    "if the user was created in admin (the usual place), add authSource=admin";
            }
            else if (auth.Mechanism?.StartsWith("SCRAM", StringComparison.Ordinal) == true)
            {
                yield return $"'{source}' must be the database the user was created in: if it is another one, set authSource=<that database>";
            }
        }
    }
}
