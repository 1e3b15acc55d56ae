using MongoAuth.TestServer.Data.Aggregation;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Data;

/// <summary>
/// A projection (find's <c>projection</c>, aggregation's <c>$project</c>): inclusion or exclusion of (dotted) fields,
/// <c>_id</c> kept unless excluded, computed fields from expressions in inclusion mode, and find's <c>$slice</c> and
/// <c>$elemMatch</c>. Mixing inclusion and exclusion fails with mongod's 31254 / 31253.
/// </summary>
internal sealed class Projection
{
    private enum Kind
    {
        Include,
        Exclude,
        Computed,
        Special,
        Parent,
    }

    private readonly Node _root;
    private readonly bool _inclusion;
    private readonly bool _excludeId;
    private readonly Expression? _computedId;

    private Projection(Node root, bool inclusion, bool excludeId, Expression? computedId)
    {
        _root = root;
        _inclusion = inclusion;
        _excludeId = excludeId;
        _computedId = computedId;
    }

    /// <summary>Compiles a projection; null or empty returns null (whole documents).</summary>
    /// <param name="spec">The projection document.</param>
    /// <param name="find">Whether find's operators ($slice, $elemMatch) are allowed.</param>
    public static Projection? Parse(BsonDocument? spec, bool find)
    {
        if (spec is null || spec.ElementCount == 0)
        {
            return null;
        }

        var entries = new List<(string Path, Kind Kind, BsonValue Value)>();
        Flatten(spec, "", find, entries);
        bool? inclusion = null;
        var excludeId = false;
        Expression? computedId = null;
        var root = new Node(Kind.Parent);
        var paths = new List<string>();
        foreach (var (path, kind, value) in entries)
        {
            if (path == "_id")
            {
                excludeId = kind == Kind.Exclude;
                computedId = kind == Kind.Computed ? Expression.Parse(value) : null;
                paths.Add(path);
                continue;
            }

            if (kind is Kind.Include or Kind.Computed)
            {
                if (inclusion == false)
                {
                    throw kind == Kind.Computed
                        ? DataException.Location(31252, $"Cannot use expression other than $meta in exclusion projection")
                        : DataException.Location(31253, $"Cannot do inclusion on field {path} in exclusion projection");
                }

                inclusion = true;
            }
            else if (kind == Kind.Exclude)
            {
                if (inclusion == true)
                {
                    throw DataException.Location(31254, $"Cannot do exclusion on field {path} in inclusion projection");
                }

                inclusion = false;
            }

            CheckCollision(paths, path);
            paths.Add(path);
            root.Add(FieldPath.Split(path), kind, value, find);
        }

        // Only _id named: {_id: 1} keeps just _id, {_id: 0} keeps everything else.
        var inclusive = inclusion ?? (!excludeId && entries.Exists(e => e.Path == "_id"));
        return new Projection(root, inclusive, excludeId, computedId);
    }

    private static void Flatten(BsonDocument spec, string prefix, bool find, List<(string, Kind, BsonValue)> entries)
    {
        foreach (var element in spec)
        {
            var path = prefix + element.Name;
            if (element.Name.Length == 0 || element.Name.StartsWith('$'))
            {
                throw DataException.Location(16410, $"FieldPath field names may not start with '$'. Given: {element.Name}");
            }

            if (path.EndsWith(".$", StringComparison.Ordinal))
            {
                throw DataException.NotSupported("The positional projection operator");
            }

            switch (element.Value)
            {
                case BsonBoolean or BsonInt32 or BsonInt64 or BsonDouble or BsonDecimal128:
                    entries.Add((path, Expression.IsTrue(element.Value) ? Kind.Include : Kind.Exclude, element.Value));
                    break;
                case BsonDocument { ElementCount: 0 }:
                    throw DataException.Location(51270,
                        $"An empty sub-projection is not a valid value. Found empty object at path {path}");
                case BsonDocument d when !d.GetElement(0).Name.StartsWith('$'):
                    Flatten(d, path + ".", find, entries);
                    break;
                case BsonDocument d when find && d.ElementCount == 1 && d.GetElement(0).Name is "$slice" or "$elemMatch":
                    entries.Add((path, Kind.Special, d));
                    break;
                case BsonDocument d when d.GetElement(0).Name == "$meta":
                    throw DataException.NotSupported("$meta in a projection");
                default:
                    entries.Add((path, Kind.Computed, element.Value));
                    break;
            }
        }
    }

    private static void CheckCollision(List<string> paths, string path)
    {
        foreach (var other in paths)
        {
            if (other == path)
            {
                throw DataException.Location(31250, $"Path collision at {path}");
            }

            var (shorter, longer) = other.Length < path.Length ? (other, path) : (path, other);
            if (longer.StartsWith(shorter + ".", StringComparison.Ordinal))
            {
                throw DataException.Location(31249,
                    $"Path collision at {longer} remaining portion {longer[(shorter.Length + 1)..]}");
            }
        }
    }

    public BsonDocument Apply(BsonDocument document)
    {
        var result = new BsonDocument();
        if (_computedId is not null)
        {
            if (_computedId.Evaluate(document) is { } id)
            {
                result["_id"] = id;
            }
        }
        else if (!_excludeId && document.TryGetValue("_id", out var existing))
        {
            result["_id"] = existing;
        }

        return _inclusion
            ? IncludeInto(document, _root, document, result, isRoot: true)
            : Exclude(document, _root, result, root: true);
    }

    private static BsonDocument IncludeInto(BsonDocument source, Node node, BsonDocument documentRoot, BsonDocument result,
        bool isRoot)
    {
        foreach (var element in source)
        {
            if ((isRoot && element.Name == "_id") || !node.Children.TryGetValue(element.Name, out var child))
            {
                continue;
            }

            switch (child.Kind)
            {
                case Kind.Include:
                    result[element.Name] = element.Value;
                    break;
                case Kind.Special when child.Special!(element.Value) is { } special:
                    result[element.Name] = special;
                    break;
                case Kind.Parent when IncludeValue(element.Value, child, documentRoot) is { } nested:
                    result[element.Name] = nested;
                    break;
            }
        }

        foreach (var (name, child) in node.Ordered)
        {
            if (child.Kind == Kind.Computed)
            {
                if (child.Expression!.Evaluate(documentRoot) is { } value)
                {
                    result[name] = value;
                }
            }
            else if (child.Kind == Kind.Parent && child.HasComputed && !result.Contains(name))
            {
                result[name] = IncludeInto([], child, documentRoot, [], isRoot: false);
            }
        }

        return result;
    }

    private static BsonValue? IncludeValue(BsonValue value, Node node, BsonDocument documentRoot) => value switch
    {
        BsonDocument d => IncludeInto(d, node, documentRoot, [], isRoot: false),
        BsonArray a => new BsonArray(a.Select(e => IncludeValue(e, node, documentRoot)).OfType<BsonValue>()),
        _ => node.HasComputed ? IncludeInto([], node, documentRoot, [], isRoot: false) : null,
    };

    private BsonDocument Exclude(BsonDocument source, Node node, BsonDocument result, bool root)
    {
        foreach (var element in source)
        {
            if (root && element.Name == "_id")
            {
                continue; // placed (or left out) by Apply
            }

            if (!node.Children.TryGetValue(element.Name, out var child))
            {
                result[element.Name] = element.Value;
                continue;
            }

            switch (child.Kind)
            {
                case Kind.Special when child.Special!(element.Value) is { } special:
                    result[element.Name] = special;
                    break;
                case Kind.Parent:
                    result[element.Name] = ExcludeValue(element.Value, child);
                    break;
            }
        }

        return result;
    }

    private BsonValue ExcludeValue(BsonValue value, Node node) => value switch
    {
        BsonDocument d => Exclude(d, node, [], root: false),
        BsonArray a => new BsonArray(a.Select(e => ExcludeValue(e, node))),
        _ => value,
    };

    private sealed class Node(Kind kind)
    {
        public Kind Kind { get; private set; } = kind;

        public Dictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);

        public List<(string Name, Node Child)> Ordered { get; } = [];

        public Expression? Expression { get; private set; }

        public Func<BsonValue, BsonValue?>? Special { get; private set; }

        public bool HasComputed => Kind == Kind.Computed || Ordered.Exists(c => c.Child.HasComputed);

        public void Add(string[] path, Kind kind, BsonValue value, bool find, int i = 0)
        {
            if (!Children.TryGetValue(path[i], out var child))
            {
                child = new Node(Kind.Parent);
                Children[path[i]] = child;
                Ordered.Add((path[i], child));
            }

            if (i < path.Length - 1)
            {
                child.Add(path, kind, value, find, i + 1);
                return;
            }

            child.Kind = kind;
            if (kind == Kind.Computed)
            {
                child.Expression = Expression.Parse(value);
            }
            else if (kind == Kind.Special)
            {
                child.Special = ParseSpecial(value.AsBsonDocument);
            }
        }
    }

    private static Func<BsonValue, BsonValue?> ParseSpecial(BsonDocument spec)
    {
        var argument = spec[0];
        if (spec.GetElement(0).Name == "$elemMatch")
        {
            if (argument is not BsonDocument query)
            {
                throw DataException.BadValue("elemMatch: Invalid argument, object required.");
            }

            var filter = QueryFilter.Parse(query);
            return value => value is BsonArray array && array.FirstOrDefault(e => e is BsonDocument d && filter.Matches(d)) is { } hit
                ? new BsonArray { hit }
                : null;
        }

        int skip, limit;
        if (argument is BsonArray { Count: 2 } pair && BsonOrder.IsNumber(pair[0]) && BsonOrder.IsNumber(pair[1]))
        {
            (skip, limit) = (pair[0].ToInt32(), pair[1].ToInt32());
            if (limit <= 0)
            {
                throw DataException.Location(28724, "First argument to $slice must be an array, but is of type: int");
            }
        }
        else if (BsonOrder.IsNumber(argument))
        {
            var n = argument.ToInt32();
            (skip, limit) = n >= 0 ? (0, n) : (n, -n);
        }
        else
        {
            throw DataException.BadValue("$slice only supports numbers and [skip, limit] arrays");
        }

        return value =>
        {
            if (value is not BsonArray array)
            {
                return value;
            }

            var start = skip < 0 ? Math.Max(0, array.Count + skip) : Math.Min(skip, array.Count);
            return new BsonArray(array.Skip(start).Take(limit));
        };
    }
}
