using MongoDB.Bson;

namespace MongoAuth.Samples.Crud;

/// <summary>An application's own type, mapped by MongoDB.Bson's conventions: <c>Id</c> is <c>_id</c>.</summary>
public sealed class Person
{
    public ObjectId Id { get; set; }

    public string Name { get; set; } = "";

    public int Age { get; set; }

    public List<string> Tags { get; set; } = [];
}
