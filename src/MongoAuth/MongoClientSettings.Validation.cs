namespace MongoAuth;

// TODO(merge): placeholder so the engine builds on its own branch; the connstr branch's file of the same name
// replaces it (take theirs).
public sealed partial record MongoClientSettings
{
    /// <summary>Validates the settings; returns them.</summary>
    public MongoClientSettings Validate() => this;
}
