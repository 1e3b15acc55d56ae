namespace MongoAuth.Authentication;

/// <summary>Whether a mechanism needs, accepts or refuses a part of the credential (user name or password).</summary>
public enum CredentialRequirementKind
{
    /// <summary>The credential must have it; missing is a configuration error.</summary>
    Required,

    /// <summary>The credential may have it.</summary>
    Optional,

    /// <summary>The credential must not have it; present is a configuration error.</summary>
    Forbidden,
}
