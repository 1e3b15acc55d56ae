using System.Net;
using MongoAuth.Authentication;
using MongoAuth.Authentication.Scram;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Scram;

namespace MongoAuth.Tests.Authentication.Scram;

/// <summary>What one in-process conversation did.</summary>
internal sealed record SaslRun(AuthenticatedUser User, int ServerSteps);

/// <summary>
/// A minimal stand-in for the engine's SASL loop: drives client steps against a server conversation in-process.
/// Like the real loop it runs every client step even when the server says done early, and answers a server that
/// is not done after the last step with an empty payload (the legacy extra round trip).
/// </summary>
internal static class ScramTestSupport
{
    public static SaslConversationContext ClientContext { get; } = new(new DnsEndPoint("localhost", 27017), false, false);

    public static MongoCredential Credential(string username, string password, string? source = null, string? mechanism = null) =>
        new(mechanism, source, username, password, null);

    /// <summary>A server for <paramref name="mechanism"/> that knows one user in <paramref name="database"/>.</summary>
    public static ScramServerMechanism Server(string mechanism, string username, string password, string database = "admin", int? iterations = null)
    {
        var credential = ScramStoredCredential.Create(mechanism, username, password, iterations);
        var user = new AuthenticatedUser(username, database, [new GrantedRole("readWrite", database)]);
        return new ScramServerMechanism(
            mechanism,
            (db, name, mech) => db == database && name == username && mech == credential.Mechanism ? new ScramAccount(user, credential) : null);
    }

    public static async Task<SaslRun> RunAsync(ISaslMechanism client, IServerSaslMechanism server, bool skipEmptyExchange = true)
    {
        var conversation = server.Start(new ServerConversationContext(null, client.Source, false) { SkipEmptyExchange = skipEmptyExchange });
        SaslStepResult result = await client.CreateFirstStep(ClientContext).ExecuteAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        int serverSteps = 0;
        while (true)
        {
            ServerSaslStep reply = await conversation.StepAsync(result.Payload, CancellationToken.None);
            serverSteps++;
            if (result.Next is not null)
            {
                result = await result.Next.ExecuteAsync(reply.Payload, CancellationToken.None);
            }
            else if (!reply.Payload.IsEmpty)
            {
                throw new InvalidOperationException("The server sent a payload after the client's last step.");
            }

            if (reply.Done)
            {
                return result.Next is null
                    ? new SaslRun(reply.User ?? throw new InvalidOperationException("done without a user"), serverSteps)
                    : throw new InvalidOperationException("The server said done while client steps remain.");
            }

            if (serverSteps > 5)
            {
                throw new InvalidOperationException("The conversation does not end.");
            }
        }
    }

    public static string Utf8(ReadOnlyMemory<byte> payload) => System.Text.Encoding.UTF8.GetString(payload.Span);

    public static ReadOnlyMemory<byte> Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    public static ScramSha256Mechanism Sha256(MongoCredential credential, string nonce, ScramKeyCache? cache = null) =>
        new(credential, cache ?? new ScramKeyCache(), () => nonce);

    public static ScramSha1Mechanism Sha1(MongoCredential credential, string nonce, ScramKeyCache? cache = null) =>
        new(credential, cache ?? new ScramKeyCache(), () => nonce);
}
