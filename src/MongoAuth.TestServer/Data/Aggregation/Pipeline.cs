using MongoDB.Bson;

namespace MongoAuth.TestServer.Data.Aggregation;

/// <summary>
/// An aggregation pipeline over documents in memory. Stages: $match, $project, $addFields/$set, $unset, $group,
/// $sort, $skip, $limit, $count, $unwind, $replaceRoot/$replaceWith, $sortByCount. Others fail with mongod's 40324
/// (unknown) or a clear "not supported" error (known to mongod, not implemented here).
/// </summary>
internal sealed class Pipeline
{
    private static readonly HashSet<string> UpdateStages = new(StringComparer.Ordinal)
    {
        "$addFields", "$set", "$project", "$unset", "$replaceRoot", "$replaceWith",
    };

    private static readonly HashSet<string> KnownButUnsupported = new(StringComparer.Ordinal)
    {
        "$lookup", "$facet", "$bucket", "$bucketAuto", "$out", "$merge", "$graphLookup", "$sample", "$geoNear",
        "$indexStats", "$collStats", "$redact", "$unionWith", "$densify", "$fill", "$setWindowFields", "$search",
        "$changeStream", "$currentOp", "$listSessions", "$documents", "$planCacheStats",
    };

    private readonly List<Func<List<BsonDocument>, List<BsonDocument>>> _stages;

    private Pipeline(List<Func<List<BsonDocument>, List<BsonDocument>>> stages) => _stages = stages;

    public static Pipeline Parse(BsonArray stages) => new([.. stages.Select(ParseStage)]);

    /// <summary>A pipeline-style update: only the stages mongod allows there.</summary>
    public static Pipeline ParseForUpdate(BsonArray stages)
    {
        foreach (var stage in stages)
        {
            if (stage is BsonDocument { ElementCount: 1 } d && !UpdateStages.Contains(d.GetElement(0).Name))
            {
                throw new DataException(72, "InvalidOptions", $"{d.GetElement(0).Name} is not allowed to be used within an update");
            }
        }

        return Parse(stages);
    }

    public List<BsonDocument> Run(List<BsonDocument> input)
    {
        var current = input;
        foreach (var stage in _stages)
        {
            current = stage(current);
        }

        return current;
    }

    private static Func<List<BsonDocument>, List<BsonDocument>> ParseStage(BsonValue stage)
    {
        if (stage is not BsonDocument { ElementCount: 1 } document)
        {
            throw DataException.Location(40323, "A pipeline stage specification object must contain exactly one field.");
        }

        var name = document.GetElement(0).Name;
        var argument = document[0];
        switch (name)
        {
            case "$match":
                var filter = QueryFilter.Parse(argument as BsonDocument ??
                    throw DataException.Location(15959, "the match filter must be an expression in an object"));
                return input => input.FindAll(filter.Matches);
            case "$project":
                var projection = Projection.Parse(argument as BsonDocument ??
                    throw DataException.Location(15969, "$project specification must be an object"), find: false) ??
                    throw DataException.Location(51272, "Invalid $project :: caused by :: projection specification must have at least one field");
                return input => input.ConvertAll(projection.Apply);
            case "$addFields" or "$set":
                return ParseAddFields(name, argument);
            case "$unset":
                var fields = argument is BsonArray names ? names.ToList() : [argument];
                if (fields.Count == 0 || fields.Exists(f => !f.IsString))
                {
                    throw DataException.Location(31002, "$unset specification must be a string or an array containing only string values");
                }

                var exclusion = Projection.Parse(new BsonDocument(fields.Select(f => new BsonElement(f.AsString, 0))), find: false)!;
                return input => input.ConvertAll(exclusion.Apply);
            case "$group":
                return ParseGroup(argument);
            case "$sort":
                if (argument is not BsonDocument sortSpec)
                {
                    throw DataException.Location(15973, "the $sort key specification must be an object");
                }

                var sort = SortOrder.Parse(sortSpec) ?? throw DataException.Location(15976, "$sort stage must have at least one sort key");
                return input => sort.Sort(input);
            case "$skip":
                var skip = NonNegative(argument, 15956, "invalid argument to $skip stage: Expected a number");
                return input => [.. input.Skip((int)Math.Min(skip, int.MaxValue))];
            case "$limit":
                var limit = NonNegative(argument, 15957, "the limit must be specified as a number");
                if (limit == 0)
                {
                    throw DataException.Location(15958, "the limit must be positive");
                }

                return input => [.. input.Take((int)Math.Min(limit, int.MaxValue))];
            case "$count":
                var field = argument is BsonString { Value: var f } ? f
                    : throw DataException.Location(40156, "the count field must be a non-empty string");
                if (field.Length == 0)
                {
                    throw DataException.Location(40157, "the count field must be a non-empty string");
                }

                if (field.StartsWith('$'))
                {
                    throw DataException.Location(40158, "the count field cannot be a $-prefixed path");
                }

                if (field.Contains('.', StringComparison.Ordinal))
                {
                    throw DataException.Location(40160, "the count field cannot contain '.'");
                }

                return input => input.Count == 0 ? [] : [new BsonDocument(field, input.Count)];
            case "$unwind":
                return ParseUnwind(argument);
            case "$replaceRoot" or "$replaceWith":
                var newRoot = Expression.Parse(name == "$replaceWith"
                    ? argument
                    : argument is BsonDocument r && r.TryGetValue("newRoot", out var nr) ? nr
                    : throw DataException.Location(40231, "no newRoot specified for the $replaceRoot stage"));
                return input => input.ConvertAll(d => newRoot.Evaluate(d) as BsonDocument ??
                    throw DataException.Location(40228,
                        $"'newRoot' expression must evaluate to an object, but resulting value was: {MongoText.Format(newRoot.Evaluate(d) ?? "MISSING")}. Type of resulting value: '{MongoText.TypeName(newRoot.Evaluate(d))}'."));
            case "$sortByCount":
                var grouped = ParseGroup(new BsonDocument { { "_id", argument }, { "count", new BsonDocument("$sum", 1) } });
                var byCount = SortOrder.Parse(new BsonDocument("count", -1))!;
                return input => byCount.Sort(grouped(input));
            default:
                if (KnownButUnsupported.Contains(name))
                {
                    throw DataException.NotSupported($"The {name} aggregation stage");
                }

                throw DataException.Location(40324, $"Unrecognized pipeline stage name: '{name}'");
        }
    }

    private static long NonNegative(BsonValue argument, int code, string message)
    {
        if (!BsonOrder.IsNumber(argument) || argument.ToDouble() != Math.Floor(argument.ToDouble()))
        {
            throw DataException.Location(code, message);
        }

        var value = argument.ToInt64();
        return value < 0 ? throw DataException.Location(code, $"{message}, got a negative number") : value;
    }

    private static Func<List<BsonDocument>, List<BsonDocument>> ParseAddFields(string name, BsonValue argument)
    {
        if (argument is not BsonDocument spec)
        {
            throw DataException.Location(40272, $"{name} specification stage must be an object, got {MongoText.TypeName(argument)}");
        }

        var fields = spec.Select(e => (Path: FieldPath.Split(e.Name), Value: Expression.Parse(e.Value))).ToList();
        return input => input.ConvertAll(d =>
        {
            var result = d.DeepClone().AsBsonDocument;
            foreach (var (path, value) in fields)
            {
                var evaluated = value.Evaluate(d);
                if (evaluated is null)
                {
                    if (path.Length == 1)
                    {
                        result.Remove(path[0]); // $$REMOVE / a missing field path removes the field
                    }

                    continue;
                }

                if (path.Length > 1 && FieldPath.Get(result, path[..^1]) is not BsonDocument)
                {
                    var parent = new BsonDocument();
                    UpdateSpec.Set(result, path[..^1], parent);
                }

                UpdateSpec.Set(result, path, evaluated);
            }

            return result;
        });
    }

    private static Func<List<BsonDocument>, List<BsonDocument>> ParseGroup(BsonValue argument)
    {
        if (argument is not BsonDocument spec)
        {
            throw DataException.Location(15947, "a group's fields must be specified in an object");
        }

        if (!spec.TryGetValue("_id", out var idSpec))
        {
            throw DataException.Location(15955, "a group specification must include an _id");
        }

        var id = Expression.Parse(idSpec);
        var accumulators = new List<(string Name, string Operator, Expression Input)>();
        foreach (var element in spec)
        {
            if (element.Name == "_id")
            {
                continue;
            }

            if (element.Name.Contains('.', StringComparison.Ordinal))
            {
                throw DataException.Location(40235, $"The field name '{element.Name}' cannot contain '.'");
            }

            if (element.Value is not BsonDocument { ElementCount: 1 } accumulator)
            {
                throw DataException.Location(40234, $"The field '{element.Name}' must be an accumulator object");
            }

            var op = accumulator.GetElement(0).Name;
            _ = Accumulator.Create(op); // unknown operators fail now (15952), not on the first document
            var input = op == "$count"
                ? accumulator[0] is BsonDocument { ElementCount: 0 }
                    ? Expression.Constant(1)
                    : throw DataException.Location(40237, "$count takes an empty object as its argument: {}")
                : Expression.Parse(accumulator[0]);
            accumulators.Add((element.Name, op, input));
        }

        return input =>
        {
            var groups = new Dictionary<BsonValue, Accumulator[]>(BsonValueEquality.Instance);
            var order = new List<BsonValue>();
            foreach (var document in input)
            {
                var key = id.Evaluate(document) ?? BsonNull.Value;
                if (!groups.TryGetValue(key, out var state))
                {
                    state = [.. accumulators.Select(a => Accumulator.Create(a.Operator))];
                    groups[key] = state;
                    order.Add(key);
                }

                for (var i = 0; i < accumulators.Count; i++)
                {
                    state[i].Add(accumulators[i].Input.Evaluate(document));
                }
            }

            return order.ConvertAll(key =>
            {
                var result = new BsonDocument("_id", key);
                var state = groups[key];
                for (var i = 0; i < accumulators.Count; i++)
                {
                    result[accumulators[i].Name] = state[i].Result();
                }

                return result;
            });
        };
    }

    private static Func<List<BsonDocument>, List<BsonDocument>> ParseUnwind(BsonValue argument)
    {
        string path;
        string? indexField = null;
        var preserve = false;
        switch (argument)
        {
            case BsonString s:
                path = s.Value;
                break;
            case BsonDocument d:
                path = d.TryGetValue("path", out var p) && p.IsString ? p.AsString
                    : throw DataException.Location(28812, "No path specified to $unwind stage");
                indexField = d.TryGetValue("includeArrayIndex", out var i) ? i.AsString : null;
                preserve = d.TryGetValue("preserveNullAndEmptyArrays", out var keep) && keep.ToBoolean();
                break;
            default:
                throw DataException.Location(15981,
                    $"expected either a string or an object as specification for $unwind stage, got {MongoText.TypeName(argument)}");
        }

        if (!path.StartsWith('$'))
        {
            throw DataException.Location(28818, $"path option to $unwind stage should be prefixed with a '$': {path}");
        }

        var parts = FieldPath.Split(path[1..]);
        return input =>
        {
            var output = new List<BsonDocument>(input.Count);
            foreach (var document in input)
            {
                var value = FieldPath.Get(document, parts);
                if (value is BsonArray { Count: > 0 } array)
                {
                    for (var n = 0; n < array.Count; n++)
                    {
                        output.Add(With(document, array[n], n));
                    }
                }
                else if (value is not (null or BsonNull or BsonUndefined or BsonArray))
                {
                    output.Add(With(document, value, null)); // a non-array value unwinds to itself
                }
                else if (preserve)
                {
                    output.Add(With(document, value is BsonArray ? null : value, null, remove: value is BsonArray));
                }
            }

            return output;
        };

        BsonDocument With(BsonDocument document, BsonValue? value, long? index, bool remove = false)
        {
            var copy = document.DeepClone().AsBsonDocument;
            if (remove)
            {
                if (FieldPath.Get(copy, parts[..^1]) is BsonDocument parent)
                {
                    parent.Remove(parts[^1]);
                }
            }
            else if (value is not null)
            {
                UpdateSpec.Set(copy, parts, value);
            }

            if (indexField is not null)
            {
                copy[indexField] = index is { } n ? new BsonInt64(n) : BsonNull.Value;
            }

            return copy;
        }
    }
}
