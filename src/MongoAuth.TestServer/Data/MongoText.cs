using System.Globalization;
using System.Text;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Data;

/// <summary>Values rendered the way mongod renders them in error messages: <c>{ _id: 1, name: "x" }</c>.</summary>
internal static class MongoText
{
    public static string Format(BsonValue value)
    {
        var builder = new StringBuilder();
        Append(builder, value);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, BsonValue value)
    {
        switch (value.BsonType)
        {
            case BsonType.Document:
                var document = value.AsBsonDocument;
                if (document.ElementCount == 0)
                {
                    builder.Append("{}");
                    return;
                }

                builder.Append("{ ");
                var first = true;
                foreach (var element in document)
                {
                    builder.Append(first ? "" : ", ").Append(element.Name).Append(": ");
                    Append(builder, element.Value);
                    first = false;
                }

                builder.Append(" }");
                return;
            case BsonType.Array:
                var array = value.AsBsonArray;
                if (array.Count == 0)
                {
                    builder.Append("[]");
                    return;
                }

                builder.Append("[ ");
                for (var i = 0; i < array.Count; i++)
                {
                    builder.Append(i == 0 ? "" : ", ");
                    Append(builder, array[i]);
                }

                builder.Append(" ]");
                return;
            case BsonType.String:
                builder.Append('"').Append(value.AsString.Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                return;
            case BsonType.ObjectId:
                builder.Append("ObjectId('").Append(value.AsObjectId.ToString()).Append("')");
                return;
            case BsonType.Double:
                builder.Append(value.AsDouble.ToString("R", CultureInfo.InvariantCulture));
                return;
            case BsonType.Int64:
                builder.Append(value.AsInt64.ToString(CultureInfo.InvariantCulture));
                return;
            case BsonType.Null:
                builder.Append("null");
                return;
            case BsonType.Boolean:
                builder.Append(value.AsBoolean ? "true" : "false");
                return;
            case BsonType.DateTime:
                builder.Append("new Date(").Append(value.AsBsonDateTime.MillisecondsSinceEpoch.ToString(CultureInfo.InvariantCulture))
                    .Append(')');
                return;
            default:
                builder.Append(value.ToString());
                return;
        }
    }

    /// <summary>mongod's name for a BSON type in messages ("int", "string", "object", …).</summary>
    public static string TypeName(BsonValue? value) => value?.BsonType switch
    {
        null => "missing",
        BsonType.Double => "double",
        BsonType.String => "string",
        BsonType.Document => "object",
        BsonType.Array => "array",
        BsonType.Binary => "binData",
        BsonType.Undefined => "undefined",
        BsonType.ObjectId => "objectId",
        BsonType.Boolean => "bool",
        BsonType.DateTime => "date",
        BsonType.Null => "null",
        BsonType.RegularExpression => "regex",
        BsonType.JavaScript => "javascript",
        BsonType.Symbol => "symbol",
        BsonType.JavaScriptWithScope => "javascriptWithScope",
        BsonType.Int32 => "int",
        BsonType.Timestamp => "timestamp",
        BsonType.Int64 => "long",
        BsonType.Decimal128 => "decimal",
        BsonType.MinKey => "minKey",
        _ => "maxKey",
    };
}
