using MongoAuth.Authentication.Gssapi;

namespace MongoAuth.Tests.Gssapi;

public sealed class GssapiErrorsTests
{
    private static readonly GssapiMechanism Mechanism =
        new(new MongoCredential("GSSAPI", "$external", "carol@EXAMPLE.TEST", "s3cret-Pa55", null));

    [Fact]
    public void Missing_library_names_the_debian_and_rhel_packages()
    {
        var error = GssapiErrors.Failed(Mechanism, "mongodb/h", new GssException(GssFailureKind.LibraryMissing, "not loaded"));
        Assert.Contains("libgssapi-krb5-2", error.Message, StringComparison.Ordinal);
        Assert.Contains("krb5-libs", error.Message, StringComparison.Ordinal);
        Assert.Equal("GSSAPI", error.Mechanism);
    }

    [Theory]
    [InlineData(nameof(GssFailureKind.Other))]
    [InlineData(nameof(GssFailureKind.BadPassword))]
    [InlineData(nameof(GssFailureKind.NoCredentials))]
    [InlineData(nameof(GssFailureKind.UnknownService))]
    [InlineData(nameof(GssFailureKind.KdcUnreachable))]
    public void Every_message_names_the_spn_and_the_step_but_not_the_password(string kind)
    {
        var cause = new GssException(Enum.Parse<GssFailureKind>(kind), "library text");
        var error = GssapiErrors.Failed(Mechanism, "mongodb/db.example.test", cause, "testing");
        Assert.Contains("'mongodb/db.example.test'", error.Message, StringComparison.Ordinal);
        Assert.Contains("while testing", error.Message, StringComparison.Ordinal);
        Assert.Contains("(library text)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-Pa55", error.ToString(), StringComparison.Ordinal);
        Assert.Same(cause, error.InnerException);
    }

    [Fact]
    public void Unclassified_failure_points_at_krb5_trace()
    {
        var error = GssapiErrors.Failed(Mechanism, "mongodb/h", new GssException(GssFailureKind.Other, "x"));
        Assert.Contains("KRB5_TRACE", error.Message, StringComparison.Ordinal);
    }
}
