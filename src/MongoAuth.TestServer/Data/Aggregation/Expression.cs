using System.Globalization;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Data.Aggregation;

/// <summary>
/// An aggregation expression: field paths (<c>"$a.b"</c>), <c>$$ROOT</c>/<c>$$CURRENT</c>, literals, documents and
/// arrays of expressions, and a set of operators (arithmetic, comparison, boolean, $cond/$ifNull, strings, arrays).
/// Evaluating to C# null means "missing" (a field that is then left out).
/// </summary>
internal sealed class Expression
{
    private readonly Func<BsonDocument, BsonValue?> _evaluate;

    private Expression(Func<BsonDocument, BsonValue?> evaluate) => _evaluate = evaluate;

    public BsonValue? Evaluate(BsonDocument root) => _evaluate(root);

    /// <summary>Whether a value counts as true ($match on $expr, $cond, $and…): not false, null, missing, 0.</summary>
    public static bool IsTrue(BsonValue? value) => value switch
    {
        null or BsonNull or BsonUndefined => false,
        BsonBoolean b => b.Value,
        BsonInt32 i => i.Value != 0,
        BsonInt64 l => l.Value != 0,
        BsonDouble d => d.Value != 0,
        BsonDecimal128 m => m.Value != Decimal128.Zero,
        _ => true,
    };

    public static Expression Constant(BsonValue? value) => new(_ => value);

    public static Expression Parse(BsonValue spec)
    {
        switch (spec)
        {
            case BsonString s when s.Value.StartsWith("$$", StringComparison.Ordinal):
                return ParseVariable(s.Value[2..]);
            case BsonString s when s.Value.StartsWith('$'):
                if (s.Value.Length == 1)
                {
                    throw DataException.Location(16872, "'$' by itself is not a valid FieldPath");
                }

                var path = FieldPath.Split(s.Value[1..]);
                return new Expression(root => Walk(root, path, 0));
            case BsonDocument d when d.ElementCount > 0 && d.GetElement(0).Name.StartsWith('$'):
                if (d.ElementCount != 1)
                {
                    throw DataException.Location(15983,
                        $"an expression specification must contain exactly one field, the name of the expression. Found {d.ElementCount} fields in {MongoText.Format(d)}");
                }

                return ParseOperator(d.GetElement(0).Name, d[0]);
            case BsonDocument d:
                var fields = d.Select(e => (e.Name, Parse(e.Value))).ToList();
                return new Expression(root =>
                {
                    var result = new BsonDocument();
                    foreach (var (name, expression) in fields)
                    {
                        if (expression.Evaluate(root) is { } value)
                        {
                            result[name] = value;
                        }
                    }

                    return result;
                });
            case BsonArray a:
                var items = a.Select(Parse).ToList();
                return new Expression(root => new BsonArray(items.Select(i => i.Evaluate(root) ?? BsonNull.Value)));
            default:
                return Constant(spec);
        }
    }

    private static Expression ParseVariable(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var variable = dot < 0 ? name : name[..dot];
        var rest = dot < 0 ? [] : FieldPath.Split(name[(dot + 1)..]);
        return variable switch
        {
            "ROOT" or "CURRENT" => new Expression(root => Walk(root, rest, 0)),
            "REMOVE" => Constant(null),
            "NOW" => new Expression(_ => new BsonDateTime(DateTime.UtcNow)),
            _ => throw DataException.Location(17276, $"Use of undefined variable: {variable}"),
        };
    }

    /// <summary>A field path in aggregation: through arrays it maps over the elements, dropping missing ones.</summary>
    private static BsonValue? Walk(BsonValue? value, string[] path, int i)
    {
        if (i == path.Length)
        {
            return value;
        }

        switch (value)
        {
            case BsonDocument d:
                return d.TryGetValue(path[i], out var field) ? Walk(field, path, i + 1) : null;
            case BsonArray a:
                var result = new BsonArray();
                foreach (var element in a)
                {
                    if (element is BsonDocument or BsonArray && Walk(element, path, i) is { } inner)
                    {
                        result.Add(inner);
                    }
                }

                return result;
            default:
                return null;
        }
    }

    private static List<Expression> Arguments(BsonValue argument) =>
        argument is BsonArray array ? array.Select(Parse).ToList() : [Parse(argument)];

    private static List<Expression> Arguments(string name, BsonValue argument, int count)
    {
        var arguments = Arguments(argument);
        if (arguments.Count != count)
        {
            throw DataException.Location(16020,
                $"Expression {name} takes exactly {count} arguments. {arguments.Count} were passed in.");
        }

        return arguments;
    }

    private static bool IsNullish(BsonValue? value) => value is null or BsonNull or BsonUndefined;

    private static Expression ParseOperator(string name, BsonValue argument)
    {
        switch (name)
        {
            case "$literal":
                return Constant(argument);
            case "$add" or "$multiply":
                var terms = Arguments(argument);
                return new Expression(root =>
                {
                    BsonValue total = name == "$add" ? new BsonInt32(0) : new BsonInt32(1);
                    foreach (var term in terms)
                    {
                        var value = term.Evaluate(root);
                        if (IsNullish(value))
                        {
                            return BsonNull.Value;
                        }

                        if (value is BsonDateTime date && name == "$add")
                        {
                            return new BsonDateTime(date.MillisecondsSinceEpoch + total.ToInt64());
                        }

                        total = BsonOrder.IsNumber(value!)
                            ? name == "$add" ? BsonNumbers.Add(total, value!) : BsonNumbers.Multiply(total, value!)
                            : throw DataException.TypeMismatch(
                                $"{name} only supports numeric types, not {MongoText.TypeName(value)}");
                    }

                    return total;
                });
            case "$subtract" or "$divide" or "$mod":
                var pair = Arguments(name, argument, 2);
                return new Expression(root =>
                {
                    if (pair[0].Evaluate(root) is not { } a || pair[1].Evaluate(root) is not { } b || IsNullish(a) || IsNullish(b))
                    {
                        return BsonNull.Value;
                    }

                    if (!BsonOrder.IsNumber(a) || !BsonOrder.IsNumber(b))
                    {
                        throw DataException.TypeMismatch(
                            $"{name} only supports numeric types, not {MongoText.TypeName(a)} and {MongoText.TypeName(b)}");
                    }

                    return name switch
                    {
                        "$subtract" => BsonNumbers.Subtract(a, b),
                        "$divide" => b.ToDouble() == 0
                            ? throw DataException.Location(2, "can't $divide by zero")
                            : new BsonDouble(a.ToDouble() / b.ToDouble()),
                        _ => a.IsDouble || b.IsDouble ? new BsonDouble(Math.IEEERemainder(a.ToDouble(), b.ToDouble()))
                            : new BsonInt64(a.ToInt64() % b.ToInt64()),
                    };
                });
            case "$abs":
                var operand = Arguments(name, argument, 1)[0];
                return new Expression(root => operand.Evaluate(root) switch
                {
                    var v when IsNullish(v) => BsonNull.Value,
                    BsonInt32 i => new BsonInt32(Math.Abs(i.Value)),
                    BsonInt64 l => new BsonInt64(Math.Abs(l.Value)),
                    var v when BsonOrder.IsNumber(v!) => new BsonDouble(Math.Abs(v!.ToDouble())),
                    var v => throw DataException.Location(28765, $"$abs only supports numeric types, not {MongoText.TypeName(v)}"),
                });
            case "$concat":
                var parts = Arguments(argument);
                return new Expression(root =>
                {
                    var builder = new System.Text.StringBuilder();
                    foreach (var part in parts)
                    {
                        switch (part.Evaluate(root))
                        {
                            case var v when IsNullish(v):
                                return BsonNull.Value;
                            case BsonString s:
                                builder.Append(s.Value);
                                break;
                            case var v:
                                throw DataException.Location(16702,
                                    $"$concat only supports strings, not {MongoText.TypeName(v)}");
                        }
                    }

                    return new BsonString(builder.ToString());
                });
            case "$toUpper" or "$toLower" or "$toString":
                var text = Arguments(name, argument, 1)[0];
                return new Expression(root =>
                {
                    var value = text.Evaluate(root);
                    if (IsNullish(value))
                    {
                        return name == "$toString" ? BsonNull.Value : new BsonString("");
                    }

                    var s = value switch
                    {
                        BsonString str => str.Value,
                        BsonObjectId id => id.Value.ToString(),
                        BsonDouble d => d.Value.ToString(CultureInfo.InvariantCulture),
                        _ => value?.ToString() ?? "",
                    };
                    return new BsonString(name switch
                    {
                        "$toUpper" => s.ToUpperInvariant(),
                        "$toLower" => s.ToLowerInvariant(),
                        _ => s,
                    });
                });
            case "$eq" or "$ne" or "$gt" or "$gte" or "$lt" or "$lte" or "$cmp":
                var sides = Arguments(name, argument, 2);
                return new Expression(root =>
                {
                    var c = BsonOrder.Compare(sides[0].Evaluate(root) ?? BsonNull.Value, sides[1].Evaluate(root) ?? BsonNull.Value);
                    return name switch
                    {
                        "$eq" => c == 0,
                        "$ne" => c != 0,
                        "$gt" => c > 0,
                        "$gte" => c >= 0,
                        "$lt" => c < 0,
                        "$lte" => c <= 0,
                        _ => new BsonInt32(Math.Sign(c)),
                    };
                });
            case "$and" or "$or":
                var clauses = Arguments(argument);
                return new Expression(root => name == "$and"
                    ? clauses.TrueForAll(c => IsTrue(c.Evaluate(root)))
                    : clauses.Exists(c => IsTrue(c.Evaluate(root))));
            case "$not":
                var negated = Arguments(name, argument, 1)[0];
                return new Expression(root => !IsTrue(negated.Evaluate(root)));
            case "$cond":
                List<Expression> branches = argument is BsonDocument cond
                    ? [Parse(cond.GetValue("if", BsonNull.Value)), Parse(cond.GetValue("then", BsonNull.Value)),
                        Parse(cond.GetValue("else", BsonNull.Value))]
                    : Arguments(name, argument, 3);
                return new Expression(root =>
                    IsTrue(branches[0].Evaluate(root)) ? branches[1].Evaluate(root) : branches[2].Evaluate(root));
            case "$ifNull":
                var candidates = Arguments(argument);
                return new Expression(root =>
                {
                    for (var i = 0; i < candidates.Count - 1; i++)
                    {
                        if (candidates[i].Evaluate(root) is { } v && !IsNullish(v))
                        {
                            return v;
                        }
                    }

                    return candidates[^1].Evaluate(root);
                });
            case "$size":
                var sized = Arguments(name, argument, 1)[0];
                return new Expression(root => sized.Evaluate(root) is BsonArray a
                    ? new BsonInt32(a.Count)
                    : throw DataException.Location(17124,
                        $"The argument to $size must be an array. Type of argument: {MongoText.TypeName(sized.Evaluate(root))}"));
            case "$arrayElemAt":
                var at = Arguments(name, argument, 2);
                return new Expression(root =>
                {
                    if (at[0].Evaluate(root) is not BsonArray a || at[1].Evaluate(root) is not { } index || !BsonOrder.IsNumber(index))
                    {
                        return BsonNull.Value;
                    }

                    var i = index.ToInt32();
                    i = i < 0 ? a.Count + i : i;
                    return i >= 0 && i < a.Count ? a[i] : null;
                });
            case "$in":
                var member = Arguments(name, argument, 2);
                return new Expression(root => member[1].Evaluate(root) is BsonArray a
                    ? a.Any(e => BsonOrder.AreEqual(e, member[0].Evaluate(root) ?? BsonNull.Value))
                    : throw DataException.Location(40081, "$in requires an array as a second argument"));
            case "$sum" or "$avg" or "$min" or "$max" or "$first" or "$last":
                var inputs = Arguments(argument);
                return new Expression(root =>
                {
                    // With one argument that is an array, the operator applies to its elements.
                    var values = inputs.Count == 1 && inputs[0].Evaluate(root) is BsonArray a
                        ? a.ToList()
                        : inputs.Select(i => i.Evaluate(root) ?? BsonNull.Value).ToList();
                    var accumulator = Accumulator.Create(name);
                    values.ForEach(accumulator.Add);
                    return accumulator.Result();
                });
            case "$type":
                var typed = Arguments(name, argument, 1)[0];
                return new Expression(root => new BsonString(MongoText.TypeName(typed.Evaluate(root))));
            default:
                throw DataException.Location(168, $"Unrecognized expression '{name}'");
        }
    }
}
