using System.Globalization;

namespace MongoAuth.ConnectionStrings;

/// <summary>
/// Types and checks the options of a connection string against <see cref="ConnectionStringOptions"/>: unknown,
/// empty, invalid, repeated and deprecated keys become warnings (the default is kept); the specification's
/// conflicts that depend only on which keys are present become errors.
/// </summary>
internal sealed class ConnectionStringOptionReader
{
    private static readonly string[] LegacyTrue = ["1", "yes", "y", "t"];
    private static readonly string[] LegacyFalse = ["0", "-1", "no", "n", "f"];

    private readonly List<ConnectionStringWarning> _warnings = [];

    /// <summary>Typed values by option, in the order first seen. Tag sets hold a list of dictionaries.</summary>
    public Dictionary<ConnectionStringOption, object> Values { get; } = [];

    /// <summary>Options that appeared in the string (canonical names), valid or not.</summary>
    public HashSet<string> Present { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<ConnectionStringWarning> Warnings => _warnings;

    private const int MaxSuggestions = 16;
    private int _unknownCount;

    public void Read(IReadOnlyList<RawOption> options)
    {
        var byOption = new Dictionary<ConnectionStringOption, List<RawOption>>();
        foreach (var raw in options)
        {
            var option = ConnectionStringOptions.Find(raw.Key);
            if (option is null)
            {
                if (raw.ConcealedFor is { } secret)
                {
                    _warnings.Add(new ConnectionStringWarning(secret,
                        $"An unknown option after {secret} was ignored (it is not shown: it may be part of the {secret} value); " +
                        "if that value contains '&', percent-encode it as %26."));
                }
                else
                {
                    // Suggestions for the first few unknown names only: a string of thousands stays linear to parse.
                    Warn(raw.Key, ++_unknownCount <= MaxSuggestions && ConnectionStringOptions.SuggestFor(raw.Key) is { } suggestion
                        ? $"is not a known option and was ignored; did you mean {suggestion}?"
                        : "is not a known option and was ignored.");
                }

                continue;
            }

            Present.Add(option.Name);
            if (!byOption.TryGetValue(option, out var list))
            {
                byOption[option] = list = [];
            }

            list.Add(raw);
        }

        foreach (var (option, occurrences) in byOption)
        {
            ReadOption(option, occurrences);
        }

        CheckTlsConflicts();
    }

    private void ReadOption(ConnectionStringOption option, List<RawOption> occurrences)
    {
        if (occurrences.Count > 1 && option.RepeatIsError)
        {
            throw ConnectionStringSyntax.Error(option.Name, $"The option {option.Name} is given more than once; give it once.");
        }

        var canonical = occurrences.Where(o => !IsDeprecatedAlias(option, o.Key)).ToList();
        if (canonical.Count > 0 && canonical.Count < occurrences.Count)
        {
            Warn(occurrences.First(o => IsDeprecatedAlias(option, o.Key)).Key, $"is deprecated and was ignored because {option.Name} is also given.");
            occurrences = canonical;
        }
        else if (canonical.Count == 0)
        {
            Warn(occurrences[0].Key, $"is deprecated; use {option.Name}.");
        }

        if (option.DeprecationAdvice is not null)
        {
            Warn(option.Name, $"is deprecated; {option.DeprecationAdvice}.");
        }

        if (option.Type == OptionType.TagSet)
        {
            Values[option] = occurrences.Select(o => TagSet(option, o.Value)).OfType<Dictionary<string, string>>().ToList();
            return;
        }

        if (occurrences.Count > 1 && option.Aliases.Count > 0 && occurrences.Select(o => o.Key.ToLowerInvariant()).Distinct().Count() > 1)
        {
            // tls and ssl together must agree; the same value twice is fine and not a repeat.
            var typed = occurrences.Select(o => TryType(option, o, out var v) ? v : null).OfType<object>().ToList();
            if (typed.Distinct().Count() > 1)
            {
                throw ConnectionStringSyntax.Error(option.Name, "The options tls and ssl are both given with different values; give one of them.");
            }

            if (typed.Count > 0)
            {
                Values[option] = typed[^1];
            }

            return;
        }

        if (occurrences.Count > 1)
        {
            Warn(option.Name, "is given more than once; the last value is used.");
        }

        if (TryType(option, occurrences[^1], out var value))
        {
            Values[option] = value;
        }
    }

    private bool TryType(ConnectionStringOption option, RawOption raw, out object value)
    {
        value = null!;
        if (raw.Value.Length == 0)
        {
            return Invalid(option, raw.Key, "is empty");
        }

        switch (option.Type)
        {
            case OptionType.Boolean:
                if (!TryBoolean(option, raw, out var flag))
                {
                    return Invalid(option, raw.Key, "must be true or false");
                }

                value = flag;
                break;
            case OptionType.Integer:
                if (!int.TryParse(raw.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    return Invalid(option, raw.Key, "must be an integer");
                }

                value = number;
                break;
            case OptionType.StringList:
                value = raw.Value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
                break;
            case OptionType.KeyValueList:
                value = KeyValues(option, raw.Value);
                break;
            default:
                value = raw.Value;
                break;
        }

        var broken = option.Rule?.Invoke(value);
        return broken is null || Invalid(option, raw.Key, broken);
    }

    private bool TryBoolean(ConnectionStringOption option, RawOption raw, out bool value)
    {
        if (bool.TryParse(raw.Value, out value) && raw.Value.All(char.IsAsciiLetterLower))
        {
            return true;
        }

        var legacyTrue = LegacyTrue.Contains(raw.Value, StringComparer.OrdinalIgnoreCase);
        if (!option.LegacyBooleans || (!legacyTrue && !LegacyFalse.Contains(raw.Value, StringComparer.OrdinalIgnoreCase)))
        {
            return false;
        }

        Warn(raw.Key, $"uses a deprecated boolean form; write {(legacyTrue ? "true" : "false")}.");
        value = legacyTrue;
        return true;
    }

    private List<KeyValuePair<string, string>> KeyValues(ConnectionStringOption option, string text)
    {
        var items = new List<KeyValuePair<string, string>>();
        foreach (var item in text.Split(','))
        {
            var colon = item.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                Warn(option.Name, "has an item without 'key:' (a comma cannot appear inside a value); the item was ignored.");
                continue;
            }

            items.Add(new(item[..colon], item[(colon + 1)..]));
        }

        return items;
    }

    private Dictionary<string, string>? TagSet(ConnectionStringOption option, string text)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text.Length == 0)
        {
            return tags;
        }

        foreach (var pair in KeyValues(option, text))
        {
            tags[pair.Key] = pair.Value;
        }

        return tags.Count == 0 ? null : tags;
    }

    private bool Invalid(ConnectionStringOption option, string key, string rule)
    {
        if (option.InvalidIsError)
        {
            throw ConnectionStringSyntax.Error(option.Name, $"The option {option.Name} {rule}.");
        }

        Warn(key, $"{rule}; the value was ignored and the default kept.");
        return false;
    }

    private void CheckTlsConflicts()
    {
        foreach (var (first, second) in ConnectionStringOptions.TlsConflicts)
        {
            if (Present.Contains(first) && Present.Contains(second))
            {
                throw ConnectionStringSyntax.Error(first, $"The options {first} and {second} cannot be given together, whatever their values.");
            }
        }
    }

    private static bool IsDeprecatedAlias(ConnectionStringOption option, string key) =>
        option.DeprecatedAliases.Contains(key, StringComparer.OrdinalIgnoreCase);

    private void Warn(string option, string message) => _warnings.Add(new ConnectionStringWarning(option, $"{option} {message}"));
}
