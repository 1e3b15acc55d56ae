using System.Collections.Immutable;
using System.Diagnostics;
using MongoAuth.Authentication.Gssapi;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Gssapi;

namespace MongoAuth.Tests.Gssapi;

/// <summary>
/// The KDC started by tests/backends/kdc/start.sh, seen through the variables of its kdc.env. Kerberos reads them at
/// process start, so they must be exported before <c>dotnet test</c> runs; a missing one fails the test.
/// </summary>
internal static class KerberosBackend
{
    public static string Realm => Get("MONGOAUTH_KRB_REALM");
    public static string PartnerRealm => Get("MONGOAUTH_KRB_PARTNER_REALM");
    public static string DownRealm => Get("MONGOAUTH_KRB_DOWN_REALM");
    public static string User => Get("MONGOAUTH_KRB_USER");
    public static string UserPassword => Get("MONGOAUTH_KRB_USER_PASSWORD");
    public static string KeytabUser => Get("MONGOAUTH_KRB_KEYTAB_USER");
    public static string KeytabUserKeytab => Get("MONGOAUTH_KRB_KEYTAB_USER_KEYTAB");
    public static string CustomServiceName => Get("MONGOAUTH_KRB_CUSTOM_SERVICE_NAME");
    public static string AliasTargetHost => Get("MONGOAUTH_KRB_ALIAS_TARGET_HOST");
    public static string PartnerServiceHost => Get("MONGOAUTH_KRB_PARTNER_SERVICE_HOST");

    public static string Get(string name)
    {
        foreach (var required in new[] { "KRB5_CONFIG", "KRB5_KTNAME", "KRB5CCNAME", name })
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(required)))
            {
                throw new InvalidOperationException(
                    $"{required} is not set. These tests need the loopback KDC and its environment exported before the " +
                    "test process starts: tests/backends/kdc/start.sh /tmp/kstate && . /tmp/kstate/kdc.env && dotnet test ...; " +
                    "tests/backends/kdc/stop.sh /tmp/kstate (./test.sh does all of it).");
            }
        }

        return Environment.GetEnvironmentVariable(name)!;
    }

    /// <summary>The test server side: both users of the realm, with a role each.</summary>
    public static GssapiServerMechanism Server() => new(new Dictionary<string, IReadOnlyList<GrantedRole>>
    {
        [User] = [new GrantedRole("readWrite", "test")],
        [KeytabUser] = [new GrantedRole("read", "test")],
    });

    public static GssapiMechanism Client(
        string user,
        string? password,
        IKerberosHostResolver? resolver = null,
        params (string Name, string Value)[] properties)
    {
        var map = ImmutableDictionary.CreateRange(
            StringComparer.OrdinalIgnoreCase,
            properties.Select(p => KeyValuePair.Create(p.Name, (object)p.Value)));
        return new GssapiMechanism(new MongoCredential("GSSAPI", "$external", user, password, map), resolver);
    }

    /// <summary>Gets a ticket for <paramref name="principal"/> into the cache (KRB5CCNAME) with its password.</summary>
    public static void Kinit(string principal, string password) => Run("kinit", [principal], password + "\n");

    /// <summary>Gets a ticket for <paramref name="principal"/> into the cache from a keytab.</summary>
    public static void KinitWithKeytab(string principal, string keytab) => Run("kinit", ["-k", "-t", keytab, principal], null);

    /// <summary>Empties the ticket cache.</summary>
    public static void Kdestroy()
    {
        _ = Get("KRB5CCNAME");
        Run("kdestroy", ["-q"], null, allowFailure: true);
    }

    private static void Run(string tool, string[] arguments, string? input, bool allowFailure = false)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        process.StandardInput.Write(input ?? "");
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed: {error}");
        }
    }
}
