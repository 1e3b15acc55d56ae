using System.Net;
using MongoAuth.Authentication;
using MongoAuth.Authentication.Gssapi;
using MongoAuth.TestServer.Authentication;

namespace MongoAuth.Tests.Gssapi;

/// <summary>
/// Drives a client mechanism against a server mechanism in-process, as the saslStart/saslContinue loop would:
/// success needs the server's done and the client's last step at once.
/// </summary>
internal static class SaslDriver
{
    public const int MaxRounds = 10;

    public static async Task<(AuthenticatedUser User, string ServicePrincipal)> RunAsync(
        ISaslMechanism client, IServerSaslMechanism server, string host = "localhost")
    {
        var first = client.CreateFirstStep(new SaslConversationContext(new DnsEndPoint(host, 27017), false, false));
        var conversation = server.Start(new ServerConversationContext(null, client.Source, false));
        ISaslStep? step = first;
        var serverPayload = ReadOnlyMemory<byte>.Empty;
        for (var round = 0; round < MaxRounds; round++)
        {
            var sent = await step!.ExecuteAsync(serverPayload, CancellationToken.None);
            var reply = await conversation.StepAsync(sent.Payload, CancellationToken.None);
            if (reply.Done)
            {
                Assert.Null(sent.Next);
                Assert.NotNull(reply.User);
                return (reply.User, ((GssapiConversation)first).ServicePrincipal);
            }

            Assert.NotNull(sent.Next);
            step = sent.Next;
            serverPayload = reply.Payload;
        }

        throw new InvalidOperationException($"no result after {MaxRounds} rounds");
    }
}
