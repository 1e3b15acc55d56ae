using System.Text.RegularExpressions;
using MongoAuth.TestServer.Data.Aggregation;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Data;

/// <summary>
/// A compiled query filter, as mongod evaluates <c>find</c>/<c>update</c>/<c>delete</c> filters and <c>$match</c>:
/// comparison ($eq $ne $gt $gte $lt $lte, with BSON type bracketing), $in/$nin, $exists, $type, $regex, $mod, $all,
/// $size, $elemMatch, $not, top-level $and/$or/$nor/$expr/$comment, dotted paths and array semantics (a condition on
/// a field holds when the field or any element of it satisfies it).
/// </summary>
internal sealed class QueryFilter
{
    /// <summary>The values at one path (missing = null entry) → whether a condition holds.</summary>
    private delegate bool ValuesTest(List<BsonValue?> values);

    private readonly Func<BsonDocument, bool> _test;

    private QueryFilter(Func<BsonDocument, bool> test) => _test = test;

    /// <summary>The filter that matches everything (an empty or missing filter).</summary>
    public static QueryFilter All { get; } = new(static _ => true);

    /// <summary>Compiles a filter; a malformed one throws <see cref="DataException"/> with mongod's code.</summary>
    public static QueryFilter Parse(BsonDocument? filter) =>
        filter is null || filter.ElementCount == 0 ? All : new QueryFilter(ParseDocument(filter));

    public bool Matches(BsonDocument document) => _test(document);

    /// <summary>
    /// The fields an upsert copies from the filter into the new document: plain equalities and <c>$eq</c>, also
    /// inside <c>$and</c>.
    /// </summary>
    public static IEnumerable<(string Path, BsonValue Value)> Equalities(BsonDocument? filter)
    {
        if (filter is null)
        {
            yield break;
        }

        foreach (var element in filter)
        {
            if (element.Name == "$and" && element.Value is BsonArray clauses)
            {
                foreach (var clause in clauses.OfType<BsonDocument>())
                {
                    foreach (var inner in Equalities(clause))
                    {
                        yield return inner;
                    }
                }
            }
            else if (!element.Name.StartsWith('$'))
            {
                if (element.Value is BsonDocument operators && IsOperatorDocument(operators))
                {
                    if (operators.ElementCount == 1 && operators.Contains("$eq"))
                    {
                        yield return (element.Name, operators["$eq"]);
                    }
                }
                else if (element.Value is not BsonRegularExpression)
                {
                    yield return (element.Name, element.Value);
                }
            }
        }
    }

    private static bool IsOperatorDocument(BsonDocument document) =>
        document.ElementCount > 0 && document.GetElement(0).Name.StartsWith('$');

    private static Func<BsonDocument, bool> ParseDocument(BsonDocument filter)
    {
        var tests = new List<Func<BsonDocument, bool>>(filter.ElementCount);
        foreach (var element in filter)
        {
            if (element.Name.StartsWith('$'))
            {
                if (ParseTopLevel(element) is { } test)
                {
                    tests.Add(test);
                }
            }
            else
            {
                var path = FieldPath.Split(element.Name);
                var condition = ParseCondition(element.Value);
                tests.Add(document => condition(FieldPath.Collect(document, path)));
            }
        }

        return tests.Count == 1 ? tests[0] : document => tests.TrueForAll(t => t(document));
    }

    private static Func<BsonDocument, bool>? ParseTopLevel(BsonElement element)
    {
        switch (element.Name)
        {
            case "$and" or "$or" or "$nor":
                if (element.Value is not BsonArray { Count: > 0 } clauses)
                {
                    throw DataException.BadValue($"{element.Name} must be a nonempty array");
                }

                var parsed = clauses.Select(c => c is BsonDocument d
                    ? ParseDocument(d)
                    : throw DataException.BadValue($"{element.Name}/$and/$or/$nor entries need to be full objects")).ToList();
                return element.Name switch
                {
                    "$and" => d => parsed.TrueForAll(p => p(d)),
                    "$or" => d => parsed.Exists(p => p(d)),
                    _ => d => !parsed.Exists(p => p(d)),
                };
            case "$expr":
                var expression = Expression.Parse(element.Value);
                return d => Expression.IsTrue(expression.Evaluate(d));
            case "$comment":
                return null;
            case "$where" or "$text" or "$jsonSchema" or "$sampleRate":
                throw DataException.NotSupported($"The {element.Name} query operator");
            default:
                throw DataException.BadValue(
                    $"unknown top level operator: {element.Name}. If you have a field name that starts with a '$' " +
                    "symbol, consider using $getField or $setField.");
        }
    }

    /// <summary>The condition on one field: an operator document, a regular expression, or a value to equal.</summary>
    private static ValuesTest ParseCondition(BsonValue condition)
    {
        if (condition is BsonRegularExpression regex)
        {
            return AnyValue(RegexTest(regex.Pattern, regex.Options));
        }

        if (condition is BsonDocument operators && IsOperatorDocument(operators))
        {
            return ParseOperators(operators);
        }

        return AnyValue(EqualityTest(condition));
    }

    private static ValuesTest ParseOperators(BsonDocument operators)
    {
        var tests = new List<ValuesTest>(operators.ElementCount);
        foreach (var element in operators)
        {
            if (element.Name == "$options")
            {
                if (!operators.Contains("$regex"))
                {
                    throw DataException.BadValue("$options needs a $regex");
                }

                continue;
            }

            if (element.Name == "$regex")
            {
                tests.Add(ParseRegex(element.Value, operators));
                continue;
            }

            tests.Add(ParseOperator(element.Name, element.Value));
        }

        return tests.Count == 1 ? tests[0] : values => tests.TrueForAll(t => t(values));
    }

    private static ValuesTest ParseOperator(string name, BsonValue argument)
    {
        switch (name)
        {
            case "$eq":
                return AnyValue(ExactEqualityTest(argument));
            case "$ne":
                var equal = AnyValue(ExactEqualityTest(argument));
                return values => !equal(values);
            case "$gt" or "$gte" or "$lt" or "$lte":
                return AnyValue(ComparisonTest(name, argument));
            case "$in":
                return AnyValue(InTest(argument, name));
            case "$nin":
                var inTest = AnyValue(InTest(argument, name));
                return values => !inTest(values);
            case "$exists":
                var wanted = Expression.IsTrue(argument);
                return values => values.Exists(v => v is not null) == wanted;
            case "$type":
                return AnyValue(TypeTest(argument));
            case "$size":
                if (!BsonOrder.IsNumber(argument) || argument.ToDouble() != Math.Floor(argument.ToDouble()))
                {
                    throw DataException.BadValue("$size needs a number");
                }

                var size = argument.ToDouble();
                return values => values.Exists(v => v is BsonArray a && a.Count == size);
            case "$mod":
                return AnyValue(ModTest(argument));
            case "$all":
                return ParseAll(argument);
            case "$elemMatch":
                return ParseElemMatch(argument);
            case "$not":
                var inner = argument switch
                {
                    BsonRegularExpression regex => AnyValue(RegexTest(regex.Pattern, regex.Options)),
                    BsonDocument { ElementCount: 0 } => throw DataException.BadValue("$not cannot be empty"),
                    BsonDocument d when IsOperatorDocument(d) => ParseOperators(d),
                    BsonDocument => throw DataException.BadValue("unknown operator: " + argument.AsBsonDocument.GetElement(0).Name),
                    _ => throw DataException.BadValue("$not needs a regex or a document"),
                };
                return values => !inner(values);
            case "$comment":
                return static _ => true;
            case "$near" or "$nearSphere" or "$geoWithin" or "$geoIntersects" or "$within" or "$bitsAllSet" or
                "$bitsAllClear" or "$bitsAnySet" or "$bitsAnyClear" or "$jsonSchema":
                throw DataException.NotSupported($"The {name} query operator");
            default:
                throw DataException.BadValue($"unknown operator: {name}");
        }
    }

    /// <summary>A test of one value that also holds when any element of an array value satisfies it.</summary>
    private static ValuesTest AnyValue(Func<BsonValue?, bool> test) => values =>
    {
        foreach (var value in values)
        {
            if (test(value))
            {
                return true;
            }

            if (value is BsonArray array)
            {
                foreach (var element in array)
                {
                    if (test(element))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    };

    /// <summary>Equality as a plain <c>{field: value}</c> means it: a regular expression value matches strings.</summary>
    private static Func<BsonValue?, bool> EqualityTest(BsonValue expected) =>
        expected is BsonRegularExpression regex ? RegexTest(regex.Pattern, regex.Options) : ExactEqualityTest(expected);

    /// <summary>Equality by BSON comparison; null also matches a missing field.</summary>
    private static Func<BsonValue?, bool> ExactEqualityTest(BsonValue expected)
    {
        if (expected.IsBsonNull)
        {
            return static v => v is null || v.IsBsonNull || v.IsBsonUndefined;
        }

        return v => v is not null && BsonOrder.Compare(v, expected) == 0;
    }

    /// <summary>
    /// Ordering comparisons only between values of the same canonical type (type bracketing), except MinKey/MaxKey
    /// which compare with everything; $gte/$lte null also match a missing field.
    /// </summary>
    private static Func<BsonValue?, bool> ComparisonTest(string name, BsonValue argument)
    {
        if (argument is BsonRegularExpression)
        {
            return static _ => false;
        }

        var allowEqual = name is "$gte" or "$lte";
        if (argument.IsBsonNull)
        {
            return allowEqual ? static v => v is null || v.IsBsonNull || v.IsBsonUndefined : static _ => false;
        }

        var acrossTypes = argument.IsBsonMinKey || argument.IsBsonMaxKey;
        var rank = BsonOrder.Rank(argument);
        return v =>
        {
            if (v is null || (!acrossTypes && BsonOrder.Rank(v) != rank))
            {
                return false;
            }

            if (v.IsDouble && double.IsNaN(v.AsDouble) != (argument.IsDouble && double.IsNaN(argument.AsDouble)))
            {
                return false; // NaN only equals NaN; it is neither greater nor less than a number.
            }

            var c = BsonOrder.Compare(v, argument);
            return name switch
            {
                "$gt" => c > 0,
                "$gte" => c >= 0,
                "$lt" => c < 0,
                _ => c <= 0,
            };
        };
    }

    private static Func<BsonValue?, bool> InTest(BsonValue argument, string name)
    {
        if (argument is not BsonArray candidates)
        {
            throw DataException.BadValue($"{name} needs an array");
        }

        var tests = new List<Func<BsonValue?, bool>>(candidates.Count);
        foreach (var candidate in candidates)
        {
            if (candidate is BsonDocument d && IsOperatorDocument(d))
            {
                throw DataException.BadValue("cannot nest $ under $in");
            }

            tests.Add(EqualityTest(candidate));
        }

        return v => tests.Exists(t => t(v));
    }

    private static ValuesTest ParseRegex(BsonValue pattern, BsonDocument operators)
    {
        var options = operators.TryGetValue("$options", out var o) ? o : null;
        if (options is not null && !options.IsString)
        {
            throw DataException.BadValue("$options has to be a string");
        }

        return pattern switch
        {
            BsonString s => AnyValue(RegexTest(s.Value, options?.AsString ?? "")),
            BsonRegularExpression r when options is not null && r.Options.Length > 0 =>
                throw DataException.BadValue("options set in both $regex and $options"),
            BsonRegularExpression r => AnyValue(RegexTest(r.Pattern, options?.AsString ?? r.Options)),
            _ => throw DataException.BadValue("$regex has to be a string"),
        };
    }

    /// <summary>mongod's PCRE options i, m, s, x on .NET's engine (close enough for the patterns tests use).</summary>
    public static Func<BsonValue?, bool> RegexTest(string pattern, string options)
    {
        var regexOptions = RegexOptions.CultureInvariant;
        foreach (var option in options)
        {
            regexOptions |= option switch
            {
                'i' => RegexOptions.IgnoreCase,
                'm' => RegexOptions.Multiline,
                's' => RegexOptions.Singleline,
                'x' => RegexOptions.IgnorePatternWhitespace,
                'u' => RegexOptions.None,
                _ => throw DataException.Location(51108, $"invalid flag in regex options: {option}"),
            };
        }

        Regex regex;
        try
        {
            regex = new Regex(pattern, regexOptions, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw DataException.Location(51091, $"Regular expression is invalid: {e.Message}");
        }

        return v => v switch
        {
            BsonString s => regex.IsMatch(s.Value),
            BsonSymbol symbol => regex.IsMatch(symbol.Name),
            BsonRegularExpression r => r.Pattern == pattern && r.Options == options,
            _ => false,
        };
    }

    private static Func<BsonValue?, bool> TypeTest(BsonValue argument)
    {
        var wanted = (argument is BsonArray array ? array.ToList() : [argument]).Select(TypeCode).ToList();
        return v => v is not null && wanted.Exists(code => code == NumberAlias ? BsonOrder.IsNumber(v) : (int)v.BsonType == code);
    }

    /// <summary>The $type code that stands for "number" (any numeric type).</summary>
    private const int NumberAlias = int.MinValue;

    /// <summary>The <see cref="BsonType"/> a $type argument names (mongod's -1 is MinKey, 0xFF here).</summary>
    private static int TypeCode(BsonValue argument)
    {
        if (BsonOrder.IsNumber(argument))
        {
            return argument.ToInt32() == -1 ? (int)BsonType.MinKey : argument.ToInt32();
        }

        if (!argument.IsString)
        {
            throw DataException.BadValue("type must be represented as a number or a string");
        }

        return argument.AsString switch
        {
            "double" => 1,
            "string" => 2,
            "object" => 3,
            "array" => 4,
            "binData" => 5,
            "undefined" => 6,
            "objectId" => 7,
            "bool" => 8,
            "date" => 9,
            "null" => 10,
            "regex" => 11,
            "javascript" => 13,
            "symbol" => 14,
            "int" => 16,
            "timestamp" => 17,
            "long" => 18,
            "decimal" => 19,
            "minKey" => (int)BsonType.MinKey,
            "maxKey" => (int)BsonType.MaxKey,
            "number" => NumberAlias,
            var other => throw DataException.BadValue($"Unknown type name alias: {other}"),
        };
    }

    private static Func<BsonValue?, bool> ModTest(BsonValue argument)
    {
        if (argument is not BsonArray { Count: 2 } pair || !BsonOrder.IsNumber(pair[0]) || !BsonOrder.IsNumber(pair[1]))
        {
            throw DataException.BadValue("malformed mod, needs to be an array of two numbers");
        }

        var divisor = pair[0].ToInt64();
        var remainder = pair[1].ToInt64();
        if (divisor == 0)
        {
            throw DataException.BadValue("divisor cannot be 0");
        }

        return v => v is not null && BsonOrder.IsNumber(v) && !(v.IsDouble && !double.IsFinite(v.AsDouble)) &&
                    (long)v.ToDouble() % divisor == remainder;
    }

    private static ValuesTest ParseAll(BsonValue argument)
    {
        if (argument is not BsonArray elements)
        {
            throw DataException.BadValue("$all needs an array");
        }

        if (elements.Count == 0)
        {
            return static _ => false;
        }

        var tests = elements.Select(e => e is BsonDocument d && d.ElementCount > 0 && d.GetElement(0).Name == "$elemMatch"
            ? ParseElemMatch(d[0])
            : AnyValue(EqualityTest(e))).ToList();
        return values => tests.TrueForAll(t => t(values));
    }

    private static ValuesTest ParseElemMatch(BsonValue argument)
    {
        if (argument is not BsonDocument spec)
        {
            throw DataException.BadValue("$elemMatch needs an Object");
        }

        Func<BsonValue, bool> elementTest;
        var first = spec.ElementCount > 0 ? spec.GetElement(0).Name : "";
        if (first.StartsWith('$') && first is not ("$and" or "$or" or "$nor" or "$expr"))
        {
            // {$elemMatch: {$gte: 80, $lt: 85}}: the operators apply to each element as a value.
            var operators = ParseOperators(spec);
            elementTest = e => operators([e]);
        }
        else
        {
            var query = ParseDocument(spec);
            elementTest = e => e is BsonDocument d && query(d);
        }

        return values => values.Exists(v => v is BsonArray array && array.Any(elementTest));
    }
}
