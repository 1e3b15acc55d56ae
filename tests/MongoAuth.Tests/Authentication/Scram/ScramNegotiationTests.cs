using MongoAuth.Authentication.Scram;

namespace MongoAuth.Tests.Authentication.Scram;

public sealed class ScramNegotiationTests
{
    public static TheoryData<string[]?, string> Replies => new()
    {
        { new[] { "SCRAM-SHA-1", "SCRAM-SHA-256" }, "SCRAM-SHA-256" },
        { new[] { "SCRAM-SHA-256" }, "SCRAM-SHA-256" },
        { new[] { "SCRAM-SHA-1" }, "SCRAM-SHA-1" },
        { new[] { "PLAIN", "GSSAPI" }, "SCRAM-SHA-1" },
        { new[] { "SCRAM-SHA-256-PLUS", "scram-sha-256", "NOT-A-MECHANISM" }, "SCRAM-SHA-1" },
        { Array.Empty<string>(), "SCRAM-SHA-1" },
        { null, "SCRAM-SHA-1" },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void Picks_sha256_only_when_listed_and_never_anything_but_scram(string[]? saslSupportedMechs, string expected) =>
        Assert.Equal(expected, ScramNegotiation.Choose(saslSupportedMechs));

    [Fact]
    public void The_query_uses_the_user_name_as_given()
    {
        Assert.Equal("admin.\u2168", ScramNegotiation.SaslSupportedMechsQuery("admin", "\u2168"));
        Assert.Equal("app.a.b=c", ScramNegotiation.SaslSupportedMechsQuery("app", "a.b=c"));
        Assert.Equal("SCRAM-SHA-256", ScramNegotiation.SpeculativeMechanism);
    }
}
