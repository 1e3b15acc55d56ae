using System.Globalization;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Data;

/// <summary>Dotted paths ("a.b.0.c") as queries, sorts and indexes read them.</summary>
internal static class FieldPath
{
    public static string[] Split(string path) => path.Split('.');

    /// <summary>Whether a path component addresses an array position ("0", "12").</summary>
    public static bool IsIndex(string component, out int index)
    {
        index = -1;
        return component.Length > 0 && component.All(char.IsAsciiDigit) &&
               int.TryParse(component, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    /// <summary>
    /// The values a query sees at <paramref name="path"/>: arrays met on the way are traversed implicitly (each
    /// element that is a document is searched), a numeric component also indexes an array, and a missing value is a
    /// null entry in the result.
    /// </summary>
    public static List<BsonValue?> Collect(BsonValue document, string[] path)
    {
        var output = new List<BsonValue?>(1);
        Collect(document, path, 0, output);
        return output;
    }

    private static void Collect(BsonValue? current, string[] path, int i, List<BsonValue?> output)
    {
        if (i == path.Length)
        {
            output.Add(current);
            return;
        }

        switch (current)
        {
            case BsonDocument document:
                Collect(document.TryGetValue(path[i], out var value) ? value : null, path, i + 1, output);
                return;
            case BsonArray array:
                var before = output.Count;
                if (IsIndex(path[i], out var index) && index < array.Count)
                {
                    Collect(array[index], path, i + 1, output);
                }

                foreach (var element in array)
                {
                    if (element is BsonDocument)
                    {
                        Collect(element, path, i, output);
                    }
                }

                if (output.Count == before)
                {
                    output.Add(null);
                }

                return;
            default:
                output.Add(null);
                return;
        }
    }

    /// <summary>The value at a path without array traversal except by numeric index; null when missing.</summary>
    public static BsonValue? Get(BsonValue document, string[] path)
    {
        var current = document;
        foreach (var component in path)
        {
            switch (current)
            {
                case BsonDocument d when d.TryGetValue(component, out var value):
                    current = value;
                    break;
                case BsonArray a when IsIndex(component, out var index) && index < a.Count:
                    current = a[index];
                    break;
                default:
                    return null;
            }
        }

        return current;
    }
}
