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

    [Property(MaxTest = 300)]
    public bool Printing_and_reparsing_is_stable(NonNegativeInt seed, PositiveInt pool, bool tls)
    {
        var uri = Seeds[seed.Get % Seeds.Length] + $"&maxPoolSize={pool.Get}&tls={(tls ? "true" : "false")}";
        uri = uri.Replace("u:p@", "u@", StringComparison.Ordinal).Replace("?&", "?", StringComparison.Ordinal);
        if (!ConnectionString.TryParse(uri, out var first, out _))
        {
            return true;
        }

        var second = ConnectionString.Parse(first.ToString());
        return second.ToString() == first.ToString() && second.Settings.ToString() == first.Settings.ToString();
    }

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
