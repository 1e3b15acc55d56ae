// Test values from the AWS SigV4 test suite (awslabs/aws-c-auth tests/aws-signing-test-suite/v4, Apache-2.0;
// also preserved in bazelbuild/bazel third_party/aws-sig-v4-test-suite, "Copyright 2017 Amazon.com", Apache-2.0) and
// the MONGODB-AWS-shaped vector of mongo-csharp-driver's AwsSignatureVersion4Tests (Apache-2.0). Values are stated
// here; no file of theirs is copied.
using MongoAuth.Authentication.Aws;
using MongoAuth.TestServer.Authentication.Aws;

namespace MongoAuth.Tests.Aws;

/// <summary>Our SigV4 signer against published vectors, and against the test server's independent check.</summary>
public sealed class AwsSignerTests
{
    private static readonly AwsCredentials SuiteKey = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    private const string SuiteToken =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    private const string MongoSecret = "FAKEFAKEFAKEFAKEFAKEfakefakefakefakefake";

    private const string MongoToken = "MXUpbuzwzPo67WKCNYtdBq47taFtIpt+SVx58hNx1/jSz37h9d67dtUOg0ejKrv83u8ai+VFZxMx=";

    private static readonly byte[] MongoNonce =
        [64, 230, 20, 164, 223, 96, 92, 144, 3, 240, 27, 110, 97, 65, 200, 11, 157, 162, 141, 4, 149, 86, 91, 108, 189, 194, 100, 90, 249, 219, 155, 235];

    private static string EmptyBodyHash => AwsSigner.HexSha256([]);

    [Fact]
    public void post_vanilla_matches_the_AWS_suite()
    {
        var authorization = AwsSigner.Authorize(SuiteKey, "POST", "/", "",
            [new("host", "example.amazonaws.com"), new("x-amz-date", "20150830T123600Z")], EmptyBodyHash, "us-east-1", "service", "20150830T123600Z");

        Assert.Equal("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, " +
            "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b", authorization);
    }

    [Fact]
    public void post_sts_header_before_matches_the_AWS_suite_whatever_order_the_headers_come_in()
    {
        var authorization = AwsSigner.Authorize(SuiteKey, "POST", "/", "",
            [new("x-amz-security-token", SuiteToken), new("x-amz-date", "20150830T123600Z"), new("host", "example.amazonaws.com")],
            EmptyBodyHash, "us-east-1", "service", "20150830T123600Z");

        Assert.EndsWith("SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead", authorization);
    }

    [Theory]
    [InlineData(null, "content-length;content-type;host;x-amz-date;x-mongodb-gs2-cb-flag;x-mongodb-server-nonce",
        "6872b9199b47dc983a95f9113a096c9b4e63bb6ddf39030161b1f092ab616df2")]
    [InlineData(MongoToken, "content-length;content-type;host;x-amz-date;x-amz-security-token;x-mongodb-gs2-cb-flag;x-mongodb-server-nonce",
        "d60ee7fe01c82631583a7534fe017e1840fd5975faf1593252e91c54573a93ae")]
    public void The_GetCallerIdentity_request_matches_the_MONGODB_AWS_vector(string? token, string signedHeaders, string signature)
    {
        var authorization = AwsSigner.AuthorizeGetCallerIdentity(new AwsCredentials("permanentuser", MongoSecret, token),
            "sts.amazonaws.com", "us-east-1", "20200312T142346Z", MongoNonce);

        Assert.Equal($"AWS4-HMAC-SHA256 Credential=permanentuser/20200312/us-east-1/sts/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}",
            authorization);
    }

    [Fact]
    public void One_changed_input_changes_the_signature()
    {
        var key = new AwsCredentials("permanentuser", MongoSecret);
        var reference = AwsSigner.AuthorizeGetCallerIdentity(key, "sts.amazonaws.com", "us-east-1", "20200312T142346Z", MongoNonce);
        var otherNonce = (byte[])MongoNonce.Clone();
        otherNonce[^1] ^= 1;

        Assert.NotEqual(reference, AwsSigner.AuthorizeGetCallerIdentity(key, "sts.amazonaws.com", "us-east-1", "20200312T142346Z", otherNonce));
        Assert.NotEqual(reference, AwsSigner.AuthorizeGetCallerIdentity(key, "sts.amazonaws.com", "us-east-1", "20200312T142347Z", MongoNonce));
        Assert.NotEqual(reference, AwsSigner.AuthorizeGetCallerIdentity(key, "sts.amazonaws.com", "us-west-2", "20200312T142346Z", MongoNonce));
        Assert.NotEqual(reference, AwsSigner.AuthorizeGetCallerIdentity(new AwsCredentials("permanentuser", MongoSecret + "x"),
            "sts.amazonaws.com", "us-east-1", "20200312T142346Z", MongoNonce));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("session-token-value")]
    public void The_test_servers_independent_check_accepts_what_the_signer_signs_and_rejects_tampering(string? token)
    {
        var now = new DateTimeOffset(2026, 11, 28, 15, 0, 0, TimeSpan.Zero);
        var nonce = System.Security.Cryptography.RandomNumberGenerator.GetBytes(64);
        var key = new AwsCredentials("AKIAEXAMPLEKEY", "secret/with+chars", token);
        var identities = new Dictionary<string, AwsIdentity>
        {
            ["AKIAEXAMPLEKEY"] = new("AKIAEXAMPLEKEY", "secret/with+chars", "arn:aws:iam::123456789012:user/alice", token),
        };
        var date = AwsSigner.AmzDate(now);
        var a = AwsSigner.AuthorizeGetCallerIdentity(key, "sts.us-west-2.amazonaws.com", "us-west-2", date, nonce);

        string? Check(string authorization, string d, string? t, byte[] s, string region = "us-west-2") =>
            AwsSignatureCheck.Verify(authorization, d, t, s, "sts.us-west-2.amazonaws.com", region, identities, now, out _);

        Assert.Null(Check(a, date, token, nonce));
        var otherNonce = (byte[])nonce.Clone();
        otherNonce[40] ^= 0xff;
        Assert.Equal("signature mismatch", Check(a, date, token, otherNonce));
        Assert.NotNull(Check(a, AwsSigner.AmzDate(now.AddSeconds(1)), token, nonce)); // d edited
        Assert.Equal("the credential scope is not us-east-1/sts", Check(a, date, token, nonce, "us-east-1"));
        var old = AwsSigner.AmzDate(now.AddMinutes(-20));
        Assert.Contains("15 minutes", Check(AwsSigner.AuthorizeGetCallerIdentity(key, "sts.us-west-2.amazonaws.com", "us-west-2", old, nonce), old, token, nonce));
        var withContentHash = a.Replace("SignedHeaders=content-length;", "SignedHeaders=content-length;x-amz-content-sha256;", StringComparison.Ordinal);
        Assert.StartsWith("SignedHeaders is not exactly", Check(withContentHash, date, token, nonce));
        if (token is not null)
        {
            Assert.NotNull(Check(a, date, token + "x", nonce)); // token swapped
            Assert.NotNull(Check(a, date, null, nonce)); // token dropped
        }
    }
}
