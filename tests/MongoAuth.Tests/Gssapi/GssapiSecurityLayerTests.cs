using System.Buffers;
using System.Net;
using System.Net.Security;
using MongoAuth.Authentication;
using static MongoAuth.Tests.Gssapi.KerberosBackend;

namespace MongoAuth.Tests.Gssapi;

/// <summary>The client's RFC 4752 step refuses offers it cannot honour, against a hand-driven Kerberos acceptor.</summary>
[Collection(KerberosCollection.Name)]
public sealed class GssapiSecurityLayerTests
{
    private static async Task<MongoAuthenticationException> OfferAsync(byte[] offer, bool wrap = true)
    {
        using var acceptor = new NegotiateAuthentication(new NegotiateAuthenticationServerOptions { Package = "Kerberos" });
        var step = Client(User, UserPassword).CreateFirstStep(
            new SaslConversationContext(new DnsEndPoint("localhost", 27017), false, false));
        var first = await step.ExecuteAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        var reply = acceptor.GetOutgoingBlob(first.Payload.Span, out var status);
        Assert.Equal(NegotiateAuthenticationStatusCode.Completed, status);
        var acknowledgement = await first.Next!.ExecuteAsync(reply, CancellationToken.None);
        Assert.True(acknowledgement.Payload.IsEmpty);

        var wrapped = new ArrayBufferWriter<byte>();
        Assert.Equal(NegotiateAuthenticationStatusCode.Completed, acceptor.Wrap(offer, wrapped, false, out _));
        var payload = wrap ? wrapped.WrittenMemory : offer;
        return await Assert.ThrowsAsync<MongoAuthenticationException>(
            () => acknowledgement.Next!.ExecuteAsync(payload, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Offer_without_no_security_layer_is_refused()
    {
        var error = await OfferAsync([0x04, 0x10, 0x00, 0x00]);
        Assert.Contains("requires a security layer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offer_of_the_wrong_length_is_refused()
    {
        var error = await OfferAsync([0x01, 0x10, 0x00]);
        Assert.Contains("3 bytes instead of 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offer_without_integrity_protection_is_refused()
    {
        var error = await OfferAsync([0x01, 0x10, 0x00, 0x00], wrap: false);
        Assert.Contains("unwrapping the server's security-layer offer", error.Message, StringComparison.Ordinal);
    }
}
