using System.Reflection;
using System.Runtime.InteropServices;

namespace MongoAuth.Benchmarks.Clients;

/// <summary>
/// The official driver P/Invokes <c>gssapi_krb5</c>, which the loader finds only where the unversioned development
/// link <c>libgssapi_krb5.so</c> exists (libkrb5-dev); the runtime package installs only <c>libgssapi_krb5.so.2</c>.
/// This resolver maps that name to the runtime library, the one MongoAuth binds, so both drivers use the same
/// library without extra packages.
/// </summary>
internal static class OfficialDriverGssapiLibrary
{
    private const string DriverLibraryName = "gssapi_krb5";
    private const string RuntimeLibrary = "libgssapi_krb5.so.2";
    private static int _registered;

    /// <summary>Installs the resolver for the driver's assembly once per process (a no-op if another component already did).</summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) != 0)
        {
            return;
        }

        try
        {
            NativeLibrary.SetDllImportResolver(typeof(MongoDB.Driver.MongoClient).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // Another component of this process already resolves the driver's native libraries; it decides.
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == DriverLibraryName && NativeLibrary.TryLoad(RuntimeLibrary, out var handle) ? handle : IntPtr.Zero;
}
