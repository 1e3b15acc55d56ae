using MongoAuth.ConnectionStrings;

namespace MongoAuth;

public sealed partial record MongoClientSettings
{
    /// <summary>
    /// Text the driver will send or hand to the OS must be usable there, whether it came from a string or from code:
    /// no lone UTF-16 surrogate (it has no UTF-8 form, and every string on the wire is UTF-8) and no NUL in a file
    /// path (no file system accepts one). Messages give the offset, never the text.
    /// </summary>
    private void ValidateText()
    {
        foreach (var server in Servers)
        {
            WellFormedText.Require(server.Host, "host", "hosts");
        }

        WellFormedText.Require(SrvHost, "SRV host", "hosts");
        WellFormedText.Require(SrvServiceName, "value of srvServiceName", "srvServiceName");
        WellFormedText.Require(ReplicaSetName, "value of replicaSet", "replicaSet");
        WellFormedText.Require(DefaultDatabase, "database name", "database name");
        WellFormedText.Require(ApplicationName, "value of appname", "appname");
        WellFormedText.Require(W, "value of w", "w");
        WellFormedText.Require(ReadConcernLevel, "value of readConcernLevel", "readConcernLevel");
        WellFormedText.Require(ProxyHost, "value of proxyHost", "proxyHost");
        WellFormedText.Require(ProxyUsername, "value of proxyUsername", "proxyUsername");
        WellFormedText.Require(ProxyPassword, "value of proxyPassword", "proxyPassword");
        WellFormedText.Require(Tls.CertificateKeyFilePassword, "value of tlsCertificateKeyFilePassword", "tlsCertificateKeyFilePassword");
        RequirePath(Tls.CAFile, "tlsCAFile");
        RequirePath(Tls.CertificateKeyFile, "tlsCertificateKeyFile");
        WellFormedText.Require(Credential?.Username, "user name", "username");
        WellFormedText.Require(Credential?.Password, "password", "password");
        WellFormedText.Require(Credential?.Source, "authentication source", "authSource");
        foreach (var (name, value) in Credential?.MechanismProperties ?? [])
        {
            WellFormedText.Require(name, "name of a mechanism property", "authMechanismProperties");
            WellFormedText.Require(value as string, "value of a mechanism property", "authMechanismProperties");
        }
    }

    private static void RequirePath(string? path, string option)
    {
        WellFormedText.Require(path, $"value of {option}", option);
        var nul = path?.IndexOf('\0', StringComparison.Ordinal) ?? -1;
        Check(nul < 0, option, $"The value of {option} has a NUL character at offset {nul}; no file path can contain one.");
    }
}
