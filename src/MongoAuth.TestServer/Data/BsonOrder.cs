using MongoDB.Bson;

namespace MongoAuth.TestServer.Data;

/// <summary>
/// The order mongod uses to compare BSON values across types (MinKey, null, numbers, strings, objects, arrays, binary
/// data, ObjectId, booleans, dates, timestamps, regular expressions, MaxKey) and within a type; numbers of different
/// types compare by value. See the manual's "Comparison/Sort Order" page.
/// </summary>
internal static class BsonOrder
{
    /// <summary>The canonical rank of a value's type: values of different ranks never compare equal.</summary>
    public static int Rank(BsonValue value) => value.BsonType switch
    {
        BsonType.MinKey => 1,
        BsonType.Undefined or BsonType.Null => 2,
        BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => 3,
        BsonType.String or BsonType.Symbol => 4,
        BsonType.Document => 5,
        BsonType.Array => 6,
        BsonType.Binary => 7,
        BsonType.ObjectId => 8,
        BsonType.Boolean => 9,
        BsonType.DateTime => 10,
        BsonType.Timestamp => 11,
        BsonType.RegularExpression => 12,
        BsonType.JavaScript => 13,
        BsonType.JavaScriptWithScope => 14,
        _ => 100, // MaxKey
    };

    public static bool IsNumber(BsonValue value) => Rank(value) == 3;

    public static bool AreEqual(BsonValue a, BsonValue b) => Compare(a, b) == 0;

    public static int Compare(BsonValue a, BsonValue b)
    {
        var rank = Rank(a).CompareTo(Rank(b));
        if (rank != 0)
        {
            return rank;
        }

        switch (a.BsonType)
        {
            case BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128:
                return CompareNumbers(a, b);
            case BsonType.String or BsonType.Symbol:
                return string.CompareOrdinal(StringOf(a), StringOf(b)) switch { < 0 => -1, > 0 => 1, _ => 0 };
            case BsonType.Document:
                return CompareDocuments(a.AsBsonDocument, b.AsBsonDocument);
            case BsonType.Array:
                return CompareArrays(a.AsBsonArray, b.AsBsonArray);
            case BsonType.Binary:
                var x = a.AsBsonBinaryData;
                var y = b.AsBsonBinaryData;
                var length = x.Bytes.Length.CompareTo(y.Bytes.Length);
                if (length != 0)
                {
                    return length;
                }

                var subType = ((int)x.SubType).CompareTo((int)y.SubType);
                return subType != 0 ? subType : x.Bytes.AsSpan().SequenceCompareTo(y.Bytes);
            case BsonType.ObjectId:
                return a.AsObjectId.CompareTo(b.AsObjectId);
            case BsonType.Boolean:
                return a.AsBoolean.CompareTo(b.AsBoolean);
            case BsonType.DateTime:
                return a.AsBsonDateTime.MillisecondsSinceEpoch.CompareTo(b.AsBsonDateTime.MillisecondsSinceEpoch);
            case BsonType.Timestamp:
                return ((ulong)a.AsBsonTimestamp.Value).CompareTo((ulong)b.AsBsonTimestamp.Value);
            case BsonType.RegularExpression:
                var pattern = string.CompareOrdinal(a.AsBsonRegularExpression.Pattern, b.AsBsonRegularExpression.Pattern);
                return pattern != 0
                    ? pattern
                    : string.CompareOrdinal(a.AsBsonRegularExpression.Options, b.AsBsonRegularExpression.Options);
            case BsonType.JavaScript or BsonType.JavaScriptWithScope:
                return string.CompareOrdinal(a.AsBsonJavaScript.Code, b.AsBsonJavaScript.Code);
            default:
                return 0; // MinKey, MaxKey, null, undefined: one value each.
        }
    }

    /// <summary>Numbers by value whatever their type; NaN is below every other number and equal to itself.</summary>
    public static int CompareNumbers(BsonValue a, BsonValue b)
    {
        if (a.BsonType is BsonType.Int32 or BsonType.Int64 && b.BsonType is BsonType.Int32 or BsonType.Int64)
        {
            return a.ToInt64().CompareTo(b.ToInt64());
        }

        if ((a.IsDecimal128 || b.IsDecimal128) && TryDecimal(a, out var p) && TryDecimal(b, out var q))
        {
            return p.CompareTo(q);
        }

        var x = a.ToDouble();
        var y = b.ToDouble();
        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return double.IsNaN(x) ? double.IsNaN(y) ? 0 : -1 : 1;
        }

        return x.CompareTo(y);
    }

    private static bool TryDecimal(BsonValue value, out decimal result)
    {
        try
        {
            result = value.BsonType switch
            {
                BsonType.Decimal128 => Decimal128.ToDecimal(value.AsDecimal128),
                BsonType.Double => (decimal)value.AsDouble,
                _ => value.ToInt64(),
            };
            return true;
        }
        catch (OverflowException)
        {
            result = 0;
            return false;
        }
    }

    private static string StringOf(BsonValue value) => value.IsString ? value.AsString : value.AsBsonSymbol.Name;

    private static int CompareDocuments(BsonDocument a, BsonDocument b)
    {
        var count = Math.Min(a.ElementCount, b.ElementCount);
        for (var i = 0; i < count; i++)
        {
            var x = a.GetElement(i);
            var y = b.GetElement(i);
            var c = Rank(x.Value).CompareTo(Rank(y.Value));
            if (c == 0)
            {
                c = string.CompareOrdinal(x.Name, y.Name);
            }

            if (c == 0)
            {
                c = Compare(x.Value, y.Value);
            }

            if (c != 0)
            {
                return c < 0 ? -1 : 1;
            }
        }

        return a.ElementCount.CompareTo(b.ElementCount);
    }

    private static int CompareArrays(BsonArray a, BsonArray b)
    {
        var count = Math.Min(a.Count, b.Count);
        for (var i = 0; i < count; i++)
        {
            var c = Compare(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Count.CompareTo(b.Count);
    }
}

/// <summary>Equality and hashing by <see cref="BsonOrder"/>: 1, 1L and 1.0 are one key, as in mongod's indexes.</summary>
internal sealed class BsonValueEquality : IEqualityComparer<BsonValue>
{
    public static BsonValueEquality Instance { get; } = new();

    public bool Equals(BsonValue? x, BsonValue? y) =>
        x is null || y is null ? ReferenceEquals(x, y) : BsonOrder.Compare(x, y) == 0;

    public int GetHashCode(BsonValue obj)
    {
        switch (obj.BsonType)
        {
            case BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128:
                var d = obj.IsDecimal128 ? (double)Decimal128.ToDouble(obj.AsDecimal128) : obj.ToDouble();
                return double.IsNaN(d) ? 0 : d.GetHashCode();
            case BsonType.Document:
                var hash = new HashCode();
                foreach (var element in obj.AsBsonDocument)
                {
                    hash.Add(element.Name, StringComparer.Ordinal);
                    hash.Add(GetHashCode(element.Value));
                }

                return hash.ToHashCode();
            case BsonType.Array:
                var arrayHash = new HashCode();
                foreach (var item in obj.AsBsonArray)
                {
                    arrayHash.Add(GetHashCode(item));
                }

                return arrayHash.ToHashCode();
            case BsonType.Symbol:
                return StringComparer.Ordinal.GetHashCode(obj.AsBsonSymbol.Name);
            case BsonType.Undefined or BsonType.Null:
                return 2;
            default:
                return obj.GetHashCode();
        }
    }
}
