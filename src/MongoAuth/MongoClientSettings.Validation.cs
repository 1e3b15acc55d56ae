using System.Text;

namespace MongoAuth;

public sealed partial record MongoClientSettings
{
    /// <summary>
    /// Checks every cross-option rule (topology, SRV, proxy, TLS, pool) and the credential for its mechanism, the
    /// same way whether the settings came from a connection string, from code, or both. The client calls it when
    /// it is built.
    /// </summary>
    /// <returns>This instance, so calls can be chained.</returns>
    /// <exception cref="MongoConfigurationException">A rule is broken; the message names the option(s).</exception>
    public MongoClientSettings Validate() => Validate(completeCredential: true);

    /// <summary>
    /// The rules of <see cref="Validate()"/>; with <paramref name="completeCredential"/> false the credential is checked
    /// only for what is wrong whatever code adds later (the connection-string parser's view), not for what is missing.
    /// </summary>
    internal MongoClientSettings Validate(bool completeCredential)
    {
        ValidateText();
        ValidateTopology();
        ValidateProxy();
        ValidateTls();
        ValidateLimits();
        Check(ApplicationName is null || Encoding.UTF8.GetByteCount(ApplicationName) <= 128, "appname", "The application name must be at most 128 bytes of UTF-8.");
        Check(MaxPoolSize >= 0, "maxPoolSize", "maxPoolSize must be at least 0.");
        Check(MinPoolSize >= 0 && (MaxPoolSize == 0 || MinPoolSize <= MaxPoolSize), "minPoolSize", "minPoolSize must be from 0 to maxPoolSize.");
        Check(MaxConnecting >= 1, "maxConnecting", "maxConnecting must be at least 1.");
        if (completeCredential)
        {
            Credential?.ValidateComplete(Mechanisms);
        }
        else
        {
            Credential?.ValidateShape();
        }
        return this;
    }

    private void ValidateTopology()
    {
        Check(UsesSrv || Servers.Count > 0, "hosts", "At least one server is needed.");
        Check(!UsesSrv || !string.IsNullOrEmpty(SrvHost), "hosts", "A mongodb+srv setting needs an SRV host name.");
        Check(ServerApi is null || !string.IsNullOrWhiteSpace(ServerApi.Version), "serverApi",
            "ServerApi needs a version; \"1\" is the one servers define (ServerApi.V1).");
        foreach (var server in Servers)
        {
            Check(server.Kind == MongoHostKind.UnixSocket || server.Port is >= 1 and <= 65535, "port", $"The port of {server.Host} must be from 1 to 65535.");
        }

        Check(DirectConnection != true || (Servers.Count <= 1 && !UsesSrv), "directConnection",
            "directConnection=true needs exactly one host and cannot be used with mongodb+srv.");
        Check(LoadBalanced != true || Servers.Count <= 1, "loadBalanced", "loadBalanced=true needs exactly one host (after SRV resolution too).");
        Check(LoadBalanced != true || DirectConnection != true, "loadBalanced", "loadBalanced=true cannot be combined with directConnection=true.");
        Check(LoadBalanced != true || ReplicaSetName is null, "loadBalanced", "loadBalanced=true cannot be combined with replicaSet.");
        Check(UsesSrv || (SrvMaxHosts == 0 && !UriOptions.Contains("srvMaxHosts")), "srvMaxHosts", "srvMaxHosts can be used only with mongodb+srv.");
        Check(UsesSrv || (SrvServiceName == "mongodb" && !UriOptions.Contains("srvServiceName")), "srvServiceName",
            "srvServiceName can be used only with mongodb+srv.");
        Check(SrvMaxHosts >= 0, "srvMaxHosts", "srvMaxHosts must be at least 0.");
        Check(SrvMaxHosts == 0 || ReplicaSetName is null, "srvMaxHosts", "srvMaxHosts greater than 0 cannot be combined with replicaSet.");
        Check(SrvMaxHosts == 0 || LoadBalanced != true, "srvMaxHosts", "srvMaxHosts greater than 0 cannot be combined with loadBalanced=true.");
    }

    private void ValidateProxy()
    {
        Check(ProxyHost is not null || (ProxyPort is null && ProxyUsername is null && ProxyPassword is null), "proxyHost",
            "proxyPort, proxyUsername and proxyPassword need proxyHost.");
        Check(ProxyUsername is null == ProxyPassword is null, "proxyUsername", "proxyUsername and proxyPassword must be given together.");
        Check(ProxyPort is null or (>= 1 and <= 65535), "proxyPort", "proxyPort must be from 1 to 65535.");
    }

    private void ValidateTls()
    {
        var set = new (string Name, bool On)[]
        {
            ("tlsInsecure", Tls.Insecure),
            ("tlsAllowInvalidCertificates", Tls.AllowInvalidCertificates),
            ("tlsAllowInvalidHostnames", Tls.AllowInvalidHostnames),
            ("tlsDisableOCSPEndpointCheck", Tls.DisableOcspEndpointCheck),
            ("tlsDisableCertificateRevocationCheck", Tls.DisableCertificateRevocationCheck),
        };
        foreach (var (first, second) in ConnectionStrings.ConnectionStringOptions.TlsConflicts)
        {
            var on = set.Where(s => s.On).Select(s => s.Name).ToList();
            Check(!on.Contains(first) || !on.Contains(second), first, $"The options {first} and {second} cannot both be set.");
        }
    }

    private static void Check(bool ok, string option, string message)
    {
        if (!ok)
        {
            throw new MongoConfigurationException(message) { OptionName = option };
        }
    }
}
