using MongoDB.Bson;

namespace MongoAuth.TestServer.Data;

/// <summary>
/// A sort specification (<c>{a: 1, "b.c": -1}</c>) in BSON comparison order. An array field sorts by its smallest
/// element ascending and its largest descending; a missing field sorts as null. Ties keep insertion order.
/// </summary>
internal sealed class SortOrder
{
    private readonly List<(string[] Path, int Direction)> _keys;
    private readonly int _natural;

    private SortOrder(List<(string[] Path, int Direction)> keys, int natural)
    {
        _keys = keys;
        _natural = natural;
    }

    /// <summary>Compiles a sort; null or empty means no sort. A bad key direction throws mongod's 15975.</summary>
    public static SortOrder? Parse(BsonDocument? spec)
    {
        if (spec is null || spec.ElementCount == 0)
        {
            return null;
        }

        var keys = new List<(string[] Path, int Direction)>(spec.ElementCount);
        var natural = 0;
        foreach (var element in spec)
        {
            if (element.Value is BsonDocument { ElementCount: 1 } meta && meta.Contains("$meta"))
            {
                throw DataException.NotSupported("Sorting by $meta");
            }

            if (!BsonOrder.IsNumber(element.Value) || element.Value.ToDouble() is not (1 or -1))
            {
                throw DataException.Location(15975, "$sort key ordering must be 1 (for ascending) or -1 (for descending)");
            }

            var direction = element.Value.ToDouble() > 0 ? 1 : -1;
            if (element.Name == "$natural")
            {
                natural = direction;
                continue;
            }

            if (element.Name.Length == 0 || element.Name.StartsWith('$'))
            {
                throw DataException.BadValue($"FieldPath field names may not start with '$'. Given: {element.Name}");
            }

            keys.Add((FieldPath.Split(element.Name), direction));
        }

        return new SortOrder(keys, natural);
    }

    /// <summary>The documents in this order (stable: equal keys keep their input order).</summary>
    public List<BsonDocument> Sort(IEnumerable<BsonDocument> documents)
    {
        var rows = documents.Select((d, i) => (Document: d, Position: i, Keys: _keys.Select(k => KeyOf(d, k)).ToArray()))
            .ToList();
        rows.Sort((x, y) =>
        {
            for (var i = 0; i < _keys.Count; i++)
            {
                var c = BsonOrder.Compare(x.Keys[i], y.Keys[i]);
                if (c != 0)
                {
                    return c * _keys[i].Direction;
                }
            }

            return x.Position.CompareTo(y.Position) * (_natural < 0 ? -1 : 1);
        });
        return rows.ConvertAll(r => r.Document);
    }

    private static BsonValue KeyOf(BsonDocument document, (string[] Path, int Direction) key)
    {
        BsonValue? best = null;
        foreach (var value in FieldPath.Collect(document, key.Path))
        {
            if (value is BsonArray array)
            {
                foreach (var element in array)
                {
                    Consider(element);
                }
            }
            else
            {
                Consider(value ?? BsonNull.Value);
            }
        }

        return best ?? BsonNull.Value;

        void Consider(BsonValue candidate)
        {
            if (best is null || BsonOrder.Compare(candidate, best) * key.Direction < 0)
            {
                best = candidate;
            }
        }
    }
}
