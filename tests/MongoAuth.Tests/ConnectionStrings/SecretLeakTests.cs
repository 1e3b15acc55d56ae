using FsCheck;
using FsCheck.Fluent;
using MongoAuth.ConnectionStrings;

namespace MongoAuth.Tests.ConnectionStrings;

/// <summary>
/// A known secret, placed where secrets go (password, proxyPassword, tlsCertificateKeyFilePassword,
/// AWS_SESSION_TOKEN) with and without '@' and with delimiters inserted around and inside it, never reaches an
/// exception (whole chain, ToString included), an OptionName, a warning, a log line or any ToString(): neither whole
/// nor any piece of four characters or more.
/// </summary>
public sealed class SecretLeakTests
{
    // Mixed case and digits, so no piece of it can appear in a message by accident, and no letter of it is an option
    // name on its own (a "w" would let an inserted "&w=" make the rest a valid value of w).
    private const string Secret = "Qz7vKp9yXj4R";

    private static readonly string[] Templates =
    [
        "mongodb://alice:{S}@h1:27017,h2/db?appname=a",
        "mongodb://alice:{S}@h1/?authMechanism=SCRAM-SHA-256&tls=true",
        "mongodb://alice:{S}",
        "mongodb://alice:{S}/db?tls=true",
        "mongodb://alice:{S},h2",
        "mongodb+srv://alice:{S}",
        "mongodb://h/?proxyHost=p&proxyUsername=u&proxyPassword={S}&tls=true",
        "mongodb://h/?proxyHost=p&proxyUsername=u&proxyPassword={S}",
        "mongodb://h/?tls=true&tlsCertificateKeyFilePassword={S}&tlsCertificateKeyFile=%2Fnonexistent%2Fclient.pem",
        "mongodb://h/?tlsCertificateKeyFilePassword={S}&appname=a",
        "mongodb://h/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:{S}",
        "mongodb://h/?authMechanismProperties=AWS_SESSION_TOKEN:{S}&authMechanism=MONGODB-AWS&appname=a",
        "mongodb://u@h/?authMechanism=GSSAPI&authMechanismProperties=SERVICE_NAME:s,AWS_SESSION_TOKEN:{S}",
        "mongodb://u@h/?authMechanismProperties=AWS_SESSION_TOKEN:{S}",
        "mongodb://alice:{S}@h/?proxyHost=p&proxyUsername=u&proxyPassword={S}&tlsCertificateKeyFilePassword={S}",
    ];

    // No '@': inserted into a password that has none after it, it makes the rest a host name of a valid string.
    private static readonly string[] Inserted = ["&", ":", "/", "?", "=", "%", "&=", "=&", "&x=", "%26"];

    private sealed record Insertion(int Offset, int Piece);

    private static readonly Gen<string> Strings =
        from template in Gen.Elements(Templates)
        from count in Gen.Choose(0, 3)
        from insertions in Gen.ArrayOf(Gen.Choose(-2, Secret.Length + 2).Zip(Gen.Choose(0, Inserted.Length - 1), (o, p) => new Insertion(o, p)), count)
        select Place(template, insertions);

    /// <summary>
    /// The template with the secret in place; each insertion lands around or inside the first secret. In the
    /// userinfo nothing is inserted before the secret's ':': a '/' there makes "e:secret" the database name of a
    /// valid string, no longer a password.
    /// </summary>
    private static string Place(string template, Insertion[] insertions)
    {
        var text = template.Replace("{S}", Secret, StringComparison.Ordinal);
        var start = text.IndexOf(Secret, StringComparison.Ordinal);
        var earliest = text[..start].Contains('?', StringComparison.Ordinal) ? start - 2 : start;
        foreach (var insertion in insertions.OrderByDescending(i => i.Offset))
        {
            text = text.Insert(Math.Clamp(start + insertion.Offset, earliest, text.Length), Inserted[insertion.Piece]);
        }

        return text;
    }

    [Fact]
    public void No_piece_of_a_secret_reaches_a_message_a_warning_a_log_line_or_ToString()
    {
        var cases = BadInputTests.FuzzCases;
        var refused = 0;
        Prop.ForAll(Arb.From(Strings), uri => refused += AssertNoLeak(uri) ? 0 : 1)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true));
        Assert.InRange(refused, cases / 10, cases - (cases / 10)); // both accepted and refused strings were checked
    }

    [Theory]
    [InlineData("mongodb://alice:{S}", "port", "'@'")]
    [InlineData("mongodb://alice::{S}", "hosts", "'@'")]
    [InlineData("mongodb://h/?proxyHost=p&proxyUsername=u&proxyPassword=ab&{S}", "proxyPassword", "%26")]
    [InlineData("mongodb://h/?tlsCertificateKeyFilePassword=ab&{S}&tls=true", "tlsCertificateKeyFilePassword", "%26")]
    [InlineData("mongodb://h/?authMechanismProperties=AWS_SESSION_TOKEN:ab&{S}", "authMechanismProperties", "%26")]
    [InlineData("mongodb://h/?proxyHost=p&proxyUsername=u&proxyPassword{S}", "proxyPassword", "'='")]
    public void The_issue_cases_are_refused_naming_the_option_without_the_secret(string template, string option, string hint)
    {
        var uri = template.Replace("{S}", Secret, StringComparison.Ordinal);
        var error = Assert.Throws<MongoConfigurationException>(() => ConnectionString.Parse(uri));
        Assert.Equal(option, error.OptionName);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.False(AssertNoLeak(uri));
    }

    [Fact]
    public void An_unknown_option_after_a_secret_is_reported_without_its_name()
    {
        var uri = $"mongodb://h/?proxyHost=p&proxyUsername=u&proxyPassword=ab&{Secret}=Rest&tls=true";
        var logger = new ListLogger();
        var parsed = ConnectionString.Parse(uri, logger);
        var warning = Assert.Single(parsed.Warnings);
        Assert.Equal("proxyPassword", warning.OptionName);
        Assert.Contains("%26", warning.Message, StringComparison.Ordinal);
        Assert.Contains("%26", Assert.Single(logger.Messages), StringComparison.Ordinal);
        Assert.Equal("mongodb://h/?proxyHost=p&proxyUsername=u&proxyPassword=<redacted>&<redacted>=<redacted>&tls=true", parsed.ToString());
        Assert.True(AssertNoLeak(uri));
    }

    [Fact]
    public void Mechanism_properties_are_printed_redacted()
    {
        var parsed = ConnectionString.Parse($"mongodb://u@h/?authMechanism=GSSAPI&authMechanismProperties=SERVICE_NAME:{Secret}");
        Assert.Equal("mongodb://u@h/?authMechanism=GSSAPI&authMechanismProperties=<redacted>", parsed.ToString());
        Assert.Equal(Secret, parsed.Credential!.GetMechanismProperty<string>("SERVICE_NAME")); // the value itself is kept
    }

    /// <summary>Parses, builds settings and a client (never connecting) and checks every text they produce;
    /// true when the string was accepted, false when it was refused.</summary>
    private static bool AssertNoLeak(string uri)
    {
        var logger = new ListLogger();
        var texts = new List<string>();
        var accepted = true;
        try
        {
            var parsed = ConnectionString.Parse(uri, logger);
            texts.Add(parsed.ToString());
            texts.AddRange(parsed.Warnings.SelectMany(w => new[] { w.OptionName, w.Message, w.ToString() }));
            texts.Add(parsed.Settings.ToString());
            texts.Add(parsed.Credential?.ToString() ?? "");
        }
        catch (MongoConfigurationException e)
        {
            texts.AddRange(Describe(e));
            accepted = false;
        }

        try
        {
            var settings = MongoClientSettings.FromConnectionString(uri, new ListLoggerFactory(logger));
            texts.Add(settings.ToString());
            using var client = new MongoClient(settings);
            texts.Add(client.Settings.ToString());
        }
        catch (MongoConfigurationException e)
        {
            texts.AddRange(Describe(e));
            accepted = false;
        }

        texts.AddRange(logger.Messages);
        foreach (var text in texts)
        {
            for (var i = 0; i + 4 <= Secret.Length; i++)
            {
                if (text.Contains(Secret.AsSpan(i, 4), StringComparison.OrdinalIgnoreCase))
                {
                    Assert.Fail($"'{Secret.Substring(i, 4)}' of the secret leaked from \"{uri}\" into: {text}");
                }
            }
        }

        return accepted;
    }

    private static IEnumerable<string> Describe(Exception error)
    {
        yield return error.ToString();
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e.Message;
            if (e is MongoConfigurationException { OptionName: { } name })
            {
                yield return name;
            }
        }
    }
}
