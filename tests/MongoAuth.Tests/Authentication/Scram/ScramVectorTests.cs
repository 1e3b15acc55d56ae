using System.Text;
using MongoAuth.Authentication;
using MongoAuth.Authentication.Scram;
using static MongoAuth.Tests.Authentication.Scram.ScramTestSupport;

namespace MongoAuth.Tests.Authentication.Scram;

// Published vectors: RFC 5802 §5 (SHA-1), RFC 7677 §3 (SHA-256) and the MongoDB SCRAM-SHA-1 conversation (MD5 digest
// of "user:mongo:pencil"), each with the client nonce injected so every payload is exact.
public sealed class ScramVectorTests
{
    [Fact]
    public void Rfc5802_core_without_mongodb_digest_produces_the_published_proof_and_signature()
    {
        const string clientFirstBare = "n=user,r=fyko+d2lbbFgONRv9qkxdawL";
        const string serverFirst = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
        string withoutProof = ScramMessages.ClientFinalWithoutProof("fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j");
        ScramAlgorithm sha1 = ScramAlgorithm.Sha1;

        ScramKeys keys = sha1.DeriveKeys("pencil"u8, Convert.FromBase64String("QSXCR+Q6sek8bf92"), 4096);
        byte[] authMessage = ScramMessages.AuthMessage(clientFirstBare, serverFirst, withoutProof);

        Assert.Equal("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j", withoutProof);
        Assert.Equal("v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=", Convert.ToBase64String(sha1.ClientProof(keys, authMessage)));
        Assert.Equal("rmF9pqV8S7suAoZWja4dJRkFsKQ=", Convert.ToBase64String(sha1.ServerSignature(keys.ServerKey, authMessage)));
        Assert.True(sha1.VerifyClientProof(keys.StoredKey, authMessage, Convert.FromBase64String("v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")));
    }

    [Fact]
    public async Task Rfc7677_sha256_conversation_has_the_published_payloads()
    {
        var mechanism = Sha256(Credential("user", "pencil"), "rOprNGfwEbeRWgbNEkqO");

        SaslStepResult first = await mechanism.CreateFirstStep(ClientContext).ExecuteAsync(ReadOnlyMemory<byte>.Empty, default);
        SaslStepResult final = await first.Next!.ExecuteAsync(
            Bytes("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"), default);
        SaslStepResult done = await final.Next!.ExecuteAsync(Bytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="), default);

        Assert.Equal("biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=", Convert.ToBase64String(first.Payload.Span));
        Assert.Equal(
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            Utf8(final.Payload));
        Assert.True(done.Payload.IsEmpty);
        Assert.Null(done.Next);
        Assert.Equal("SCRAM-SHA-256", mechanism.Name);
    }

    [Fact]
    public async Task MongoDB_sha1_conversation_has_the_published_payloads()
    {
        var mechanism = Sha1(Credential("user", "pencil"), "fyko+d2lbbFgONRv9qkxdawL");

        SaslStepResult first = await mechanism.CreateFirstStep(ClientContext).ExecuteAsync(ReadOnlyMemory<byte>.Empty, default);
        SaslStepResult final = await first.Next!.ExecuteAsync(Convert.FromBase64String(
            "cj1meWtvK2QybGJiRmdPTlJ2OXFreGRhd0xIbytWZ2s3cXZVT0tVd3VXTElXZzRsLzlTcmFHTUhFRSxzPXJROVpZM01udEJldVAzRTFURFZDNHc9PSxpPTEwMDAw"), default);
        SaslStepResult done = await final.Next!.ExecuteAsync(Convert.FromBase64String("dj1VTVdlSTI1SkQxeU5ZWlJNcFo0Vkh2aFo5ZTA9"), default);

        Assert.Equal("biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM", Convert.ToBase64String(first.Payload.Span));
        Assert.Equal(
            "Yz1iaXdzLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdMSG8rVmdrN3F2VU9LVXd1V0xJV2c0bC85U3JhR01IRUUscD1NQzJUOEJ2Ym1XUmNrRHc4b1dsNUlWZ2h3Q1k9",
            Convert.ToBase64String(final.Payload.Span));
        Assert.Null(done.Next);
        Assert.Equal("SCRAM-SHA-1", mechanism.Name);
    }

    [Fact]
    public void MongoDB_sha1_intermediate_values_match_the_spec()
    {
        ScramAlgorithm sha1 = ScramAlgorithm.Sha1;
        byte[] digest = sha1.PreparePassword("user", "pencil");
        byte[] salt = Convert.FromBase64String("rQ9ZY3MntBeuP3E1TDVC4w==");

        ScramKeys keys = sha1.DeriveKeys(digest, salt, 10000);

        Assert.Equal("1c33006ec1ffd90f9cadcbcc0e118200", Encoding.ASCII.GetString(digest));
        Assert.Equal("6abd37850da6e327df8dc5afd430791052f92499", Convert.ToHexStringLower(sha1.SaltedPassword(digest, salt, 10000)));
        Assert.Equal("6eca60b8b046771fc7174092de6e7e837859b356", Convert.ToHexStringLower(keys.ClientKey));
        Assert.Equal("951ad51f2a8c5fe38ea86be972fbfd6a7940f084", Convert.ToHexStringLower(keys.ServerKey));
    }

    [Fact]
    public void Rfc7677_salted_password_matches_the_spec()
    {
        ScramAlgorithm sha256 = ScramAlgorithm.Sha256;

        byte[] salted = sha256.SaltedPassword(sha256.PreparePassword("user", "pencil"), Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);

        Assert.Equal("c4a49510323ab4f952cac1fa99441939e78ea74d6be81ddf7096e87513dc615d", Convert.ToHexStringLower(salted));
    }

    [Theory]
    [InlineData("user", "user")]
    [InlineData("a=b", "a=3Db")]
    [InlineData("a,b", "a=2Cb")]
    [InlineData("=,=", "=3D=2C=3D")]
    [InlineData("\u2168", "\u2168")]
    public void User_names_are_escaped_but_not_prepared(string username, string escaped)
    {
        Assert.Equal(escaped, ScramMessages.EscapeUsername(username));
        Assert.Equal(username, ScramMessages.UnescapeUsername(escaped));
        Assert.Equal($"n={escaped},r=abc", ScramMessages.ClientFirstBare(username, "abc"));
    }

    [Theory]
    [InlineData("a=b")]
    [InlineData("a=2")]
    [InlineData("a=2D")]
    [InlineData("=")]
    public void Malformed_escapes_are_refused(string saslName) =>
        Assert.Throws<FormatException>(() => ScramMessages.UnescapeUsername(saslName));

    [Fact]
    public void The_default_nonce_is_random_printable_and_comma_free()
    {
        string first = ScramMessages.NewNonce();
        string second = ScramMessages.NewNonce();

        Assert.NotEqual(first, second);
        Assert.Equal(32, first.Length);
        Assert.DoesNotContain(',', first);
        Assert.All(first, c => Assert.InRange(c, '!', '~'));
    }
}
