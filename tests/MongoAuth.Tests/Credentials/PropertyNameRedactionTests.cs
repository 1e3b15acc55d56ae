using System.Collections.Immutable;

namespace MongoAuth.Tests.Credentials;

/// <summary>
/// A secret property value with an unescaped ',' and ':' splits into a second "property" whose name is part of the
/// secret: such names are neither printed by the credential nor quoted by the refusal.
/// </summary>
public sealed class PropertyNameRedactionTests
{
    [Theory]
    [InlineData("Zx9/Tok+en")]
    [InlineData("a-b.c")]
    public void A_name_that_is_not_name_like_is_neither_printed_nor_quoted(string fragment)
    {
        var uri = $"mongodb://alice@db.example.com/?authMechanism=GSSAPI&authMechanismProperties=SERVICE_NAME:svc,{Uri.EscapeDataString(fragment)}:rest";

        var error = Assert.Throws<MongoConfigurationException>(() =>
        {
            var settings = MongoClientSettings.FromConnectionString(uri);
            Assert.DoesNotContain(fragment, settings.Credential!.ToString(), StringComparison.Ordinal);
            using var client = new MongoClient(settings);
        });

        Assert.DoesNotContain(fragment, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("not shown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_property_name_is_still_named_in_the_refusal_and_counted_in_ToString()
    {
        var credential = new MongoCredential("GSSAPI", null, "alice", null,
            ImmutableDictionary.Create<string, object>(StringComparer.OrdinalIgnoreCase).Add("SERVICE_NAME", "svc").Add("SERVICE_NAMEE", "x"));

        Assert.Contains("MechanismProperties = [SERVICE_NAME, 1 unknown]", credential.ToString(), StringComparison.Ordinal);
        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(MongoClientSettings.FromConnectionString(
            "mongodb://alice@db.example.com/?authMechanism=GSSAPI&authMechanismProperties=SERVICE_NAMEE:x")));
        Assert.Contains("SERVICE_NAMEE", error.Message, StringComparison.Ordinal);
    }
}
