using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MongoAuth.ConnectionStrings;

namespace MongoAuth.Tests.ConnectionStrings;

/// <summary>Item 8: random and mutated strings give a result or a MongoConfigurationException, nothing else;
/// printing and re-parsing is stable.</summary>
public sealed class PropertyTests
{
    private static readonly string[] Seeds =
    [
        "mongodb://u:p@a:1,[::1]:2/db?tls=true&appname=x&readPreferenceTags=dc:ny&readPreferenceTags=",
        "mongodb+srv://c.example.com/?srvMaxHosts=2&authSource=admin",
        "mongodb://%2Ftmp%2Fm.sock/?authMechanism=GSSAPI&authMechanismProperties=SERVICE_NAME:x",
        "mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:azure,TOKEN_RESOURCE:r",
    ];

    private static readonly char[] Alphabet = "mongdb+sv:/@?&=,%[]2F.:-_ auhtlTSRUE01xyz\\$\"".ToCharArray();

    [Property(MaxTest = 500)]
    public bool Random_strings_parse_or_fail_cleanly(string? text) => ParsesOrFailsCleanly(text ?? "");

    [Property(MaxTest = 1500)]
    public bool Mutated_strings_parse_or_fail_cleanly(NonNegativeInt seed, NonNegativeInt position, NonNegativeInt choice, byte kind)
    {
        var source = Seeds[seed.Get % Seeds.Length];
        var at = position.Get % source.Length;
        var c = Alphabet[choice.Get % Alphabet.Length];
        var mutated = (kind % 3) switch
        {
            0 => source.Remove(at, 1),
            1 => source.Insert(at, c.ToString()),
            _ => source[..at] + c + source[(at + 1)..],
        };
        return ParsesOrFailsCleanly(mutated);
    }

    private static readonly string[] StableSeeds =
    [
        "mongodb://u@a:1,[::1]:2/db?authMechanism=GSSAPI&appname=x&readPreferenceTags=dc:ny&readPreferenceTags=",
        "mongodb+srv://c.example.com/?srvMaxHosts=2&authSource=admin",
        "mongodb://%2Ftmp%2Fm.sock/?w=majority&journal=true",
        "mongodb://h/?authMechanism=MONGODB-X509&readPreference=nearest", // (authMechanismProperties is printed redacted)
    ];

    [Property(MaxTest = 300)]
    public bool Printing_and_reparsing_is_stable(NonNegativeInt seed, PositiveInt pool, bool tls)
    {
        var uri = StableSeeds[seed.Get % StableSeeds.Length] + $"&maxPoolSize={pool.Get}&tls={(tls ? "true" : "false")}";
        var first = ConnectionString.Parse(uri);
        var second = ConnectionString.Parse(first.ToString());
        return first.ToString() == uri && second.ToString() == uri && second.Settings.ToString() == first.Settings.ToString();
    }

    [Property(MaxTest = 500)]
    public bool Random_text_after_the_scheme_parses_or_fails_cleanly(string? text, bool srv) =>
        ParsesOrFailsCleanly((srv ? "mongodb+srv://" : "mongodb://") + text);

    [Fact]
    public void Mutations_do_produce_both_outcomes()
    {
        var outcomes = Enumerable.Range(0, Seeds[0].Length).Select(i => ConnectionString.TryParse(Seeds[0].Remove(i, 1), out _, out _)).ToList();
        Assert.Contains(true, outcomes);
        Assert.Contains(false, outcomes);
    }

    private static bool ParsesOrFailsCleanly(string text)
    {
        try
        {
            ConnectionString.Parse(text);
            return true;
        }
        catch (MongoConfigurationException e)
        {
            return e.Message.Length > 0;
        }
    }
}
