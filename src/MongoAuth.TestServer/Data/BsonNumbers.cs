using MongoDB.Bson;

namespace MongoAuth.TestServer.Data;

/// <summary>
/// Arithmetic with mongod's type promotion: int op int stays int unless it overflows (then long), long overflows to
/// double, any double makes a double, any decimal makes a decimal.
/// </summary>
internal static class BsonNumbers
{
    public static BsonValue Add(BsonValue a, BsonValue b) => Combine(a, b, static (x, y) => x + y,
        static (x, y) => checked(x + y), static (x, y) => x + y);

    public static BsonValue Multiply(BsonValue a, BsonValue b) => Combine(a, b, static (x, y) => x * y,
        static (x, y) => checked(x * y), static (x, y) => x * y);

    public static BsonValue Subtract(BsonValue a, BsonValue b) => Combine(a, b, static (x, y) => x - y,
        static (x, y) => checked(x - y), static (x, y) => x - y);

    /// <summary>Zero of the same numeric type as <paramref name="like"/> ($mul on a missing field).</summary>
    public static BsonValue ZeroLike(BsonValue like) => like.BsonType switch
    {
        BsonType.Int32 => new BsonInt32(0),
        BsonType.Int64 => new BsonInt64(0),
        BsonType.Decimal128 => new BsonDecimal128(Decimal128.Zero),
        _ => new BsonDouble(0),
    };

    private static BsonValue Combine(BsonValue a, BsonValue b, Func<decimal, decimal, decimal> onDecimal,
        Func<long, long, long> onLong, Func<double, double, double> onDouble)
    {
        if (a.IsDecimal128 || b.IsDecimal128)
        {
            return new BsonDecimal128(new Decimal128(onDecimal(ToDecimal(a), ToDecimal(b))));
        }

        if (a.IsDouble || b.IsDouble)
        {
            return new BsonDouble(onDouble(a.ToDouble(), b.ToDouble()));
        }

        long result;
        try
        {
            result = onLong(a.ToInt64(), b.ToInt64());
        }
        catch (OverflowException)
        {
            return new BsonDouble(onDouble(a.ToDouble(), b.ToDouble()));
        }

        return a.IsInt32 && b.IsInt32 && result is >= int.MinValue and <= int.MaxValue
            ? new BsonInt32((int)result)
            : new BsonInt64(result);
    }

    private static decimal ToDecimal(BsonValue value) => value.BsonType switch
    {
        BsonType.Decimal128 => Decimal128.ToDecimal(value.AsDecimal128),
        BsonType.Double => (decimal)value.AsDouble,
        _ => value.ToInt64(),
    };
}
