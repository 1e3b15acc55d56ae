using MongoDB.Bson;

namespace MongoAuth.TestServer.Data.Aggregation;

/// <summary>
/// A $group accumulator: $sum and $avg over numeric values (others ignored), $min/$max ignoring null and missing,
/// $first/$last (missing as null), $push and $addToSet (missing skipped), $count.
/// </summary>
internal abstract class Accumulator
{
    public static IReadOnlyCollection<string> Names { get; } =
        ["$sum", "$avg", "$min", "$max", "$first", "$last", "$push", "$addToSet", "$count"];

    public static Accumulator Create(string name) => name switch
    {
        "$sum" or "$count" => new Sum(),
        "$avg" => new Average(),
        "$min" => new Extreme(-1),
        "$max" => new Extreme(1),
        "$first" => new Positional(first: true),
        "$last" => new Positional(first: false),
        "$push" => new Push(unique: false),
        "$addToSet" => new Push(unique: true),
        _ => throw DataException.Location(15952, $"unknown group operator '{name}'"),
    };

    /// <summary>Adds one input; null means the expression evaluated to missing.</summary>
    public abstract void Add(BsonValue? value);

    public abstract BsonValue Result();

    private sealed class Sum : Accumulator
    {
        private BsonValue _total = new BsonInt32(0);

        public override void Add(BsonValue? value)
        {
            if (value is not null && BsonOrder.IsNumber(value))
            {
                _total = BsonNumbers.Add(_total, value);
            }
        }

        public override BsonValue Result() => _total;
    }

    private sealed class Average : Accumulator
    {
        private BsonValue _total = new BsonInt32(0);
        private int _count;

        public override void Add(BsonValue? value)
        {
            if (value is not null && BsonOrder.IsNumber(value))
            {
                _total = BsonNumbers.Add(_total, value);
                _count++;
            }
        }

        public override BsonValue Result() => _count == 0
            ? BsonNull.Value
            : _total.IsDecimal128
                ? new BsonDecimal128(Decimal128.ToDecimal(_total.AsDecimal128) / _count)
                : new BsonDouble(_total.ToDouble() / _count);
    }

    private sealed class Extreme(int sign) : Accumulator
    {
        private BsonValue? _best;

        public override void Add(BsonValue? value)
        {
            if (value is null or BsonNull or BsonUndefined)
            {
                return;
            }

            if (_best is null || BsonOrder.Compare(value, _best) * sign > 0)
            {
                _best = value;
            }
        }

        public override BsonValue Result() => _best ?? BsonNull.Value;
    }

    private sealed class Positional(bool first) : Accumulator
    {
        private BsonValue? _value;
        private bool _seen;

        public override void Add(BsonValue? value)
        {
            if (!first || !_seen)
            {
                _value = value ?? BsonNull.Value;
                _seen = true;
            }
        }

        public override BsonValue Result() => _value ?? BsonNull.Value;
    }

    private sealed class Push(bool unique) : Accumulator
    {
        private readonly BsonArray _values = [];
        private readonly HashSet<BsonValue> _seen = new(BsonValueEquality.Instance);

        public override void Add(BsonValue? value)
        {
            if (value is not null && (!unique || _seen.Add(value)))
            {
                _values.Add(value);
            }
        }

        public override BsonValue Result() => _values;
    }
}
