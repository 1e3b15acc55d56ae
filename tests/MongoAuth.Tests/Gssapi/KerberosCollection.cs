namespace MongoAuth.Tests.Gssapi;

/// <summary>Tests that share the one ticket cache of the process (KRB5CCNAME) run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KerberosCollection
{
    public const string Name = "Kerberos KDC";
}
