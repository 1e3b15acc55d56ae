using MongoAuth.Authentication.Aws;
using MongoDB.Bson;

namespace MongoAuth.Tests.Aws;

/// <summary>The STS host and server-nonce checks of the server-first message, and the region derived from the host.</summary>
public sealed class AwsStsHostTests
{
    [Theory]
    [InlineData("sts.amazonaws.com", "us-east-1")]
    [InlineData("aws.amazonaws.com", "us-east-1")]
    [InlineData("localhost", "us-east-1")]
    [InlineData("sts.us-west-2.amazonaws.com", "us-west-2")]
    [InlineData("sts.us-west-2.amazonaws.com.ch", "us-west-2")]
    [InlineData("example.com", "com")]
    public void The_region_comes_from_the_host(string host, string region)
    {
        Assert.Null(AwsStsHost.Problem(host));
        Assert.Equal(region, AwsStsHost.Region(host));
    }

    [Theory]
    [InlineData("sts..com", "empty label")]
    [InlineData(".amazonaws.com", "starts or ends with a dot")]
    [InlineData("sts.amazonaws.", "starts or ends with a dot")]
    [InlineData("", "0 bytes")]
    public void Malformed_hosts_are_refused(string host, string problem) =>
        Assert.Contains(problem, AwsStsHost.Problem(host), StringComparison.Ordinal);

    [Fact]
    public void A_host_over_255_bytes_is_refused() => Assert.Contains("256 bytes", AwsStsHost.Problem(new string('a', 256)), StringComparison.Ordinal);

    [Fact]
    public void The_server_nonce_must_be_64_bytes_starting_with_the_client_nonce()
    {
        var client = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        byte[] Message(byte[] s, BsonValue? h = null) => new BsonDocument { { "s", new BsonBinaryData(s) }, { "h", h ?? "sts.amazonaws.com" } }.ToBson();
        var good = client.Concat(new byte[32]).ToArray();

        Assert.Equal("sts.amazonaws.com", AwsConversation.ReadServerFirst(Message(good), client).Host);
        Assert.Contains("is 48 bytes", Refusal(Message(good[..48]), client));
        Assert.Contains("is 65 bytes", Refusal(Message([.. good, 1]), client));
        var foreign = (byte[])good.Clone();
        foreign[0] ^= 1;
        Assert.Contains("does not start with the client nonce", Refusal(Message(foreign), client));
        Assert.Contains("invalid STS host", Refusal(Message(good, "sts..com"), client));
        Assert.Contains("no STS host", Refusal(Message(good, 5), client));
        Assert.Contains("not a BSON document", Refusal([1, 2, 3], client));
    }

    private static string Refusal(byte[] payload, byte[] client) =>
        Assert.Throws<InvalidOperationException>(() => AwsConversation.ReadServerFirst(payload, client)).Message;
}
