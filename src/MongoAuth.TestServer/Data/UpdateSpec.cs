using MongoAuth.TestServer.Data.Aggregation;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Data;

/// <summary>
/// The <c>u</c> of an update: a replacement document, an operator document ($set $unset $inc $mul $min $max $rename
/// $push $addToSet $pull $pullAll $pop $setOnInsert $currentDate), or an aggregation pipeline ($set/$addFields,
/// $unset, $project, $replaceRoot/$replaceWith). Applying never changes the stored document: it returns a new one.
/// Fields created by operators are added in path order (lexicographic), as mongod 5.0 and later add them.
/// </summary>
internal sealed class UpdateSpec
{
    private static readonly HashSet<string> Operators = new(StringComparer.Ordinal)
    {
        "$set", "$unset", "$inc", "$mul", "$min", "$max", "$rename", "$push", "$addToSet", "$pull", "$pullAll",
        "$pop", "$setOnInsert", "$currentDate",
    };

    private readonly BsonDocument? _replacement;
    private readonly List<Operation> _operations = [];
    private readonly Pipeline? _pipeline;

    private UpdateSpec(BsonDocument? replacement, Pipeline? pipeline)
    {
        _replacement = replacement;
        _pipeline = pipeline;
    }

    /// <summary>Whether this is a replacement document (no operators).</summary>
    public bool IsReplacement => _replacement is not null;

    /// <summary>Compiles an update; a malformed one throws <see cref="DataException"/> with mongod's code.</summary>
    public static UpdateSpec Parse(BsonValue update)
    {
        if (update is BsonArray stages)
        {
            return new UpdateSpec(null, Pipeline.ParseForUpdate(stages));
        }

        if (update is not BsonDocument document)
        {
            throw DataException.FailedToParse("Update argument must be either an object or an array");
        }

        if (document.ElementCount == 0 || !document.GetElement(0).Name.StartsWith('$'))
        {
            foreach (var element in document)
            {
                if (element.Name.StartsWith('$'))
                {
                    throw new DataException(52, "DollarPrefixedFieldName",
                        $"The dollar ($) prefixed field '{element.Name}' in '{element.Name}' is not allowed in the context " +
                        "of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.");
                }
            }

            return new UpdateSpec(document, null);
        }

        var spec = new UpdateSpec(null, null);
        foreach (var element in document)
        {
            if (element.Name == "$bit")
            {
                throw DataException.NotSupported("The $bit update operator");
            }

            if (!Operators.Contains(element.Name))
            {
                throw DataException.FailedToParse(
                    $"Unknown modifier: {element.Name}. Expected a valid update modifier or pipeline-style update specified as an array");
            }

            if (element.Value is not BsonDocument fields)
            {
                throw DataException.FailedToParse(
                    $"Modifiers operate on fields but we found type {MongoText.TypeName(element.Value)} instead. For example: " +
                    $"{{$mod: {{<field>: ...}}}} not {{{element.Name}: {MongoText.Format(element.Value)}}}");
            }

            foreach (var field in fields)
            {
                spec._operations.Add(Operation.Parse(element.Name, field.Name, field.Value));
            }
        }

        CheckConflicts(spec._operations);
        spec._operations.Sort((a, b) => string.CompareOrdinal(a.PathText, b.PathText));
        return spec;
    }

    private static void CheckConflicts(List<Operation> operations)
    {
        var paths = operations.SelectMany(o => o.RenameTarget is null ? [o.PathText] : new[] { o.PathText, o.RenameTarget })
            .ToList();
        for (var i = 0; i < paths.Count; i++)
        {
            for (var j = 0; j < paths.Count; j++)
            {
                if (i != j && (paths[i] == paths[j] && i < j || paths[j].StartsWith(paths[i] + ".", StringComparison.Ordinal)))
                {
                    throw new DataException(40, "ConflictingUpdateOperators",
                        $"Updating the path '{paths[j]}' would create a conflict at '{paths[i]}'");
                }
            }
        }
    }

    /// <summary>
    /// The document after the update. <paramref name="original"/> is not changed. <paramref name="isInsert"/> is set
    /// for the document an upsert inserts ($setOnInsert applies only then).
    /// </summary>
    public BsonDocument Apply(BsonDocument original, bool isInsert)
    {
        BsonDocument result;
        if (_replacement is not null)
        {
            result = new BsonDocument();
            if (original.TryGetValue("_id", out var id))
            {
                result["_id"] = id;
            }

            foreach (var element in _replacement)
            {
                if (element.Name == "_id" && result.Contains("_id"))
                {
                    if (!SameId(id!, element.Value))
                    {
                        throw ImmutableId($"After applying the update, the (immutable) field '_id' was found to have been altered to _id: {MongoText.Format(element.Value)}");
                    }

                    continue;
                }

                result[element.Name] = element.Value;
            }

            return result;
        }

        if (_pipeline is not null)
        {
            result = _pipeline.Run([original.DeepClone().AsBsonDocument]).SingleOrDefault() ?? [];
        }
        else
        {
            result = original.DeepClone().AsBsonDocument;
            foreach (var operation in _operations)
            {
                if (operation.Name != "$setOnInsert" || isInsert)
                {
                    operation.Apply(result);
                }
            }
        }

        if (original.TryGetValue("_id", out var before) &&
            (!result.TryGetValue("_id", out var after) || !SameId(before, after)))
        {
            throw ImmutableId("Performing an update on the path '_id' would modify the immutable field '_id'");
        }

        return result;
    }

    private static bool SameId(BsonValue a, BsonValue b) => a.BsonType == b.BsonType && BsonOrder.Compare(a, b) == 0;

    private static DataException ImmutableId(string message) => new(66, "ImmutableField", message);

    /// <summary>One operator on one path.</summary>
    private sealed class Operation
    {
        private readonly string[] _path;
        private readonly BsonValue _argument;
        private readonly Func<BsonValue, bool>? _pullTest;
        private readonly string[]? _target;

        private Operation(string name, string path, BsonValue argument, string? renameTarget, Func<BsonValue, bool>? pullTest)
        {
            Name = name;
            PathText = path;
            _path = FieldPath.Split(path);
            _argument = argument;
            RenameTarget = renameTarget;
            _target = renameTarget is null ? null : FieldPath.Split(renameTarget);
            _pullTest = pullTest;
        }

        public string Name { get; }

        public string PathText { get; }

        public string? RenameTarget { get; }

        public static Operation Parse(string name, string path, BsonValue argument)
        {
            CheckPath(path);
            string? target = null;
            Func<BsonValue, bool>? pullTest = null;
            switch (name)
            {
                case "$inc" or "$mul" when !BsonOrder.IsNumber(argument):
                    throw DataException.TypeMismatch(
                        $"Cannot {(name == "$inc" ? "increment" : "multiply")} with non-numeric argument: {{{path}: {MongoText.Format(argument)}}}");
                case "$rename":
                    if (!argument.IsString)
                    {
                        throw DataException.BadValue($"The 'to' field for $rename must be a string: {path}: {MongoText.Format(argument)}");
                    }

                    target = argument.AsString;
                    CheckPath(target);
                    if (target == path)
                    {
                        throw DataException.BadValue($"The source and target field for $rename must differ: {path}: \"{target}\"");
                    }

                    if (target.StartsWith(path + ".", StringComparison.Ordinal) || path.StartsWith(target + ".", StringComparison.Ordinal))
                    {
                        throw DataException.BadValue(
                            $"The source and target field for $rename must not be on the same path: {path}: \"{target}\"");
                    }

                    break;
                case "$pop" when !BsonOrder.IsNumber(argument) || argument.ToDouble() is not (1 or -1):
                    throw DataException.FailedToParse($"$pop expects 1 or -1, found: {MongoText.Format(argument)}");
                case "$pullAll" when argument is not BsonArray:
                    throw DataException.BadValue($"$pullAll requires an array argument but was given a {MongoText.TypeName(argument)}");
                case "$pull":
                    pullTest = PullTest(argument);
                    break;
                case "$currentDate" when !(argument.IsBoolean || argument is BsonDocument { ElementCount: 1 } t &&
                                           t.TryGetValue("$type", out var type) && type is BsonString { Value: "date" or "timestamp" }):
                    throw DataException.BadValue(
                        "The '$type' string field is required to be 'date' or 'timestamp': {$currentDate: {field : {$type: 'date'}}}");
                case "$push" or "$addToSet" when argument is BsonDocument d && d.Contains("$each") && d["$each"] is not BsonArray:
                    throw DataException.BadValue(
                        $"The argument to $each in {name} must be an array but it was of type: {MongoText.TypeName(d["$each"])}");
            }

            return new Operation(name, path, argument, target, pullTest);
        }

        private static void CheckPath(string path)
        {
            var parts = FieldPath.Split(path);
            if (path.Length == 0 || parts.Any(p => p.Length == 0))
            {
                throw new DataException(56, "EmptyFieldName", "An empty update path is not valid.");
            }

            if (parts.Any(p => p.StartsWith('$')))
            {
                throw DataException.NotSupported("The positional and array-filter update operators ($, $[], $[<id>])");
            }
        }

        /// <summary>$pull's condition: operators on the element, a query on element documents, or equality.</summary>
        private static Func<BsonValue, bool> PullTest(BsonValue argument)
        {
            if (argument is BsonDocument document)
            {
                var first = document.ElementCount > 0 ? document.GetElement(0).Name : "";
                if (first.StartsWith('$') && first is not ("$and" or "$or" or "$nor"))
                {
                    var wrapped = QueryFilter.Parse(new BsonDocument("v", document));
                    return e => wrapped.Matches(new BsonDocument("v", e));
                }

                var query = QueryFilter.Parse(document);
                return e => e is BsonDocument d && query.Matches(d);
            }

            return e => BsonOrder.Compare(e, argument) == 0;
        }

        public void Apply(BsonDocument document)
        {
            switch (Name)
            {
                case "$set" or "$setOnInsert":
                    Set(document, _path, _argument);
                    return;
                case "$unset":
                    if (Navigate(document, _path, create: false) is { } container)
                    {
                        Remove(container, _path[^1]);
                    }

                    return;
                case "$rename":
                    if (FieldPath.Get(document, _path) is { } moved &&
                        Navigate(document, _path, create: false) is BsonDocument source)
                    {
                        source.Remove(_path[^1]);
                        Set(document, _target!, moved);
                    }

                    return;
            }

            var parent = Navigate(document, _path, create: Name is not ("$pull" or "$pullAll" or "$pop"));
            if (parent is null)
            {
                return;
            }

            var existing = Get(parent, _path[^1]);
            var updated = Compute(document, existing);
            if (updated is not null)
            {
                SetIn(parent, _path[^1], updated, _path);
            }
        }

        private BsonValue? Compute(BsonDocument document, BsonValue? existing)
        {
            switch (Name)
            {
                case "$inc" or "$mul":
                    if (existing is null)
                    {
                        return Name == "$inc" ? _argument : BsonNumbers.ZeroLike(_argument);
                    }

                    if (!BsonOrder.IsNumber(existing))
                    {
                        throw DataException.TypeMismatch(
                            $"Cannot apply {Name} to a value of non-numeric type. {{_id: {MongoText.Format(document.GetValue("_id", BsonNull.Value))}}} " +
                            $"has the field '{_path[^1]}' of non-numeric type {MongoText.TypeName(existing)}");
                    }

                    return Name == "$inc" ? BsonNumbers.Add(existing, _argument) : BsonNumbers.Multiply(existing, _argument);
                case "$min" or "$max":
                    var c = existing is null ? 0 : BsonOrder.Compare(_argument, existing);
                    return existing is null || (Name == "$min" ? c < 0 : c > 0) ? _argument : null;
                case "$currentDate":
                    return _argument is BsonDocument { } t && t["$type"].AsString == "timestamp"
                        ? new BsonTimestamp((int)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 1)
                        : new BsonDateTime(DateTime.UtcNow);
                case "$push":
                    return Push(ArrayOrNew(existing, document));
                case "$addToSet":
                    if (existing is not null and not BsonArray)
                    {
                        throw DataException.BadValue(
                            $"Cannot apply $addToSet to non-array field. Field named '{_path[^1]}' has non-array type {MongoText.TypeName(existing)}");
                    }

                    var set = new BsonArray((BsonArray?)existing ?? []);
                    var additions = _argument is BsonDocument d && d.Contains("$each") ? d["$each"].AsBsonArray : [_argument];
                    foreach (var addition in additions)
                    {
                        if (!set.Any(e => BsonOrder.Compare(e, addition) == 0))
                        {
                            set.Add(addition);
                        }
                    }

                    return set;
                case "$pull" or "$pullAll":
                    if (existing is null)
                    {
                        return null;
                    }

                    if (existing is not BsonArray pulled)
                    {
                        throw DataException.BadValue("Cannot apply $pull to a non-array value");
                    }

                    var remove = _pullTest ?? (e => _argument.AsBsonArray.Any(a => BsonOrder.Compare(a, e) == 0));
                    return new BsonArray(pulled.Where(e => !remove(e)));
                default: // $pop
                    if (existing is null)
                    {
                        return null;
                    }

                    if (existing is not BsonArray popped)
                    {
                        throw DataException.TypeMismatch(
                            $"Path '{PathText}' contains an element of non-array type '{MongoText.TypeName(existing)}'");
                    }

                    return _argument.ToDouble() > 0
                        ? new BsonArray(popped.Take(Math.Max(0, popped.Count - 1)))
                        : new BsonArray(popped.Skip(1));
            }
        }

        private BsonArray ArrayOrNew(BsonValue? existing, BsonDocument document) => existing switch
        {
            null => [],
            BsonArray a => new BsonArray(a),
            _ => throw DataException.BadValue(
                $"The field '{_path[^1]}' must be an array but is of type {MongoText.TypeName(existing)} in document " +
                $"{{_id: {MongoText.Format(document.GetValue("_id", BsonNull.Value))}}}"),
        };

        /// <summary>$push with its modifiers $each, $position, $sort and $slice, applied in that order.</summary>
        private BsonArray Push(BsonArray array)
        {
            if (_argument is not BsonDocument modifiers || !modifiers.Contains("$each"))
            {
                array.Add(_argument);
                return array;
            }

            foreach (var modifier in modifiers.Names)
            {
                if (modifier is not ("$each" or "$position" or "$sort" or "$slice"))
                {
                    throw DataException.BadValue($"Unrecognized clause in $push: {modifier}");
                }
            }

            var each = modifiers["$each"].AsBsonArray;
            var position = modifiers.TryGetValue("$position", out var p) ? p.ToInt32() : array.Count;
            position = position < 0 ? Math.Max(0, array.Count + position) : Math.Min(position, array.Count);
            for (var i = 0; i < each.Count; i++)
            {
                array.Insert(position + i, each[i]);
            }

            if (modifiers.TryGetValue("$sort", out var sort))
            {
                List<BsonValue> sorted = sort is BsonDocument byFields
                    ? [.. SortOrder.Parse(byFields)!.Sort(array.Select(e => e as BsonDocument ?? [])).Cast<BsonValue>()]
                    : sort.ToDouble() > 0
                        ? [.. array.OrderBy(e => e, Comparer<BsonValue>.Create(BsonOrder.Compare))]
                        : [.. array.OrderByDescending(e => e, Comparer<BsonValue>.Create(BsonOrder.Compare))];
                array = new BsonArray(sorted);
            }

            if (modifiers.TryGetValue("$slice", out var slice))
            {
                var n = slice.ToInt32();
                array = new BsonArray(n >= 0 ? array.Take(n) : array.Skip(Math.Max(0, array.Count + n)));
            }

            return array;
        }
    }

    /// <summary>Sets a (dotted) path, creating documents on the way (and padding arrays with nulls).</summary>
    public static void Set(BsonDocument document, string[] path, BsonValue value)
    {
        var parent = Navigate(document, path, create: true)!;
        SetIn(parent, path[^1], value, path);
    }

    private static void SetIn(BsonValue parent, string name, BsonValue value, string[] path)
    {
        switch (parent)
        {
            case BsonDocument d:
                d[name] = value;
                return;
            case BsonArray a when FieldPath.IsIndex(name, out var index):
                while (a.Count <= index)
                {
                    a.Add(BsonNull.Value);
                }

                a[index] = value;
                return;
            default:
                throw PathNotViable(name, path.Length > 1 ? path[^2] : name, parent);
        }
    }

    private static BsonValue? Get(BsonValue parent, string name) => parent switch
    {
        BsonDocument d => d.TryGetValue(name, out var v) ? v : null,
        BsonArray a when FieldPath.IsIndex(name, out var i) && i < a.Count => a[i],
        _ => null,
    };

    private static void Remove(BsonValue parent, string name)
    {
        switch (parent)
        {
            case BsonDocument d:
                d.Remove(name);
                break;
            case BsonArray a when FieldPath.IsIndex(name, out var i) && i < a.Count:
                a[i] = BsonNull.Value; // $unset of an array element leaves a null, as in mongod
                break;
        }
    }

    /// <summary>The container of the path's last component; null when missing and not creating.</summary>
    private static BsonValue? Navigate(BsonDocument document, string[] path, bool create)
    {
        BsonValue current = document;
        for (var i = 0; i < path.Length - 1; i++)
        {
            var component = path[i];
            switch (current)
            {
                case BsonDocument d when d.TryGetValue(component, out var next):
                    current = next;
                    break;
                case BsonDocument d when create:
                    var created = new BsonDocument();
                    d[component] = created;
                    current = created;
                    break;
                case BsonArray a when FieldPath.IsIndex(component, out var index):
                    if (index < a.Count)
                    {
                        current = a[index];
                        break;
                    }

                    if (!create)
                    {
                        return null;
                    }

                    var element = new BsonDocument();
                    SetIn(a, component, element, path);
                    current = element;
                    break;
                case BsonDocument:
                    return null;
                default:
                    if (!create)
                    {
                        return null;
                    }

                    throw PathNotViable(component, i > 0 ? path[i - 1] : component, current);
            }
        }

        if (create && current is not (BsonDocument or BsonArray))
        {
            throw PathNotViable(path[^1], path.Length > 1 ? path[^2] : path[^1], current);
        }

        return current is BsonDocument or BsonArray ? current : null;
    }

    private static DataException PathNotViable(string field, string parentName, BsonValue parent) =>
        new(28, "PathNotViable", $"Cannot create field '{field}' in element {{{parentName}: {MongoText.Format(parent)}}}");
}
