using System.Runtime.InteropServices;

namespace MongoAuth.Cli.Commands;

/// <summary>
/// Points the GSSAPI acceptor of this process at a keytab. MIT Kerberos reads <c>KRB5_KTNAME</c> from the native
/// environment, which .NET's <c>Environment.SetEnvironmentVariable</c> does not change on Unix, so <c>--keytab</c>
/// registers the file through MIT's <c>krb5_gss_register_acceptor_identity</c> (the call mongod's own
/// <c>--keytab</c>-style setups use), before the first GSSAPI conversation.
/// </summary>
internal static partial class KerberosKeytab
{
    public static void UseForAcceptor(string path)
    {
        uint status;
        try
        {
            status = RegisterAcceptorIdentity(path);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new ArgumentException($"--keytab needs MIT Kerberos' libgssapi_krb5.so.2 ({e.Message})", e);
        }
        if (status != 0)
        {
            throw new ArgumentException($"--keytab: libgssapi refused '{path}' (GSS major status {status})");
        }
    }

    [LibraryImport("libgssapi_krb5.so.2", EntryPoint = "krb5_gss_register_acceptor_identity", StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint RegisterAcceptorIdentity(string path);
}
