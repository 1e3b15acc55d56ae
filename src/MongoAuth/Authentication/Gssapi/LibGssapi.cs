using System.Runtime.InteropServices;

namespace MongoAuth.Authentication.Gssapi;

/// <summary>
/// The few GSS-API (RFC 2744) calls of MIT's libgssapi_krb5 that <c>NegotiateAuthentication</c> cannot make for us:
/// importing a realm-qualified Kerberos principal as the target (SERVICE_REALM), and reading the library's status
/// text to explain a failure. Linux only.
/// </summary>
internal static unsafe partial class LibGssapi
{
    internal const string LibraryName = "libgssapi_krb5.so.2";

    internal const uint Complete = 0;
    internal const uint ContinueNeeded = 1;
    internal const int InitiateOnly = 1;
    internal const uint MutualFlag = 2;
    internal const uint IntegrityFlag = 32;
    private const int GssCode = 1;
    private const int MechCode = 2;

    /// <summary>gss_buffer_desc.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Buffer
    {
        public nuint Length;
        public IntPtr Value;
    }

    /// <summary>gss_OID_desc.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Oid
    {
        public uint Length;
        public IntPtr Elements;
    }

    /// <summary>GSS_KRB5_NT_PRINCIPAL_NAME, 1.2.840.113554.1.2.2.1: "service/host@REALM" or "user@REALM".</summary>
    internal static IntPtr KerberosPrincipalName { get; } = AllocateOid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x01]);

    /// <summary>GSS_C_NT_HOSTBASED_SERVICE, 1.2.840.113554.1.2.1.4: "service@host", realm from krb5.conf.</summary>
    internal static IntPtr HostBasedServiceName { get; } = AllocateOid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x01, 0x04]);

    /// <summary>The Kerberos 5 mechanism, 1.2.840.113554.1.2.2.</summary>
    internal static IntPtr KerberosMechanism { get; } = AllocateOid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02]);

    /// <summary>Whether the library can be loaded on this machine.</summary>
    internal static bool IsAvailable { get; } = OperatingSystem.IsLinux() && NativeLibrary.TryLoad(LibraryName, out _);

    // Process-lifetime constants: allocated once, never freed.
    private static IntPtr AllocateOid(byte[] der)
    {
        var oid = (Oid*)NativeMemory.Alloc((nuint)sizeof(Oid));
        var elements = (byte*)NativeMemory.Alloc((nuint)der.Length);
        der.CopyTo(new Span<byte>(elements, der.Length));
        oid->Length = (uint)der.Length;
        oid->Elements = (IntPtr)elements;
        return (IntPtr)oid;
    }

    internal static bool IsError(uint major) => (major & 0xFFFF0000) != 0;

    /// <summary>The library's text for a major and minor status ("Cannot contact any KDC for realm ...").</summary>
    internal static string DescribeStatus(uint major, uint minor)
    {
        var parts = new List<string>();
        Describe(major, GssCode, parts);
        if (minor != 0)
        {
            Describe(minor, MechCode, parts);
        }

        return string.Join(": ", parts);
    }

    private static void Describe(uint status, int type, List<string> parts)
    {
        uint context = 0;
        do
        {
            var major = gss_display_status(out _, status, type, IntPtr.Zero, ref context, out var text);
            if (IsError(major))
            {
                return;
            }

            if (text.Length > 0)
            {
                parts.Add(Marshal.PtrToStringUTF8(text.Value, checked((int)text.Length)));
            }

            ReleaseBuffer(ref text);
        }
        while (context != 0);
    }

    internal static void ReleaseBuffer(ref Buffer buffer)
    {
        if (buffer.Value != IntPtr.Zero)
        {
            _ = gss_release_buffer(out _, ref buffer);
        }
    }

    [LibraryImport(LibraryName)]
    internal static partial uint gss_import_name(out uint minor, ref Buffer name, IntPtr nameType, out IntPtr output);

    [LibraryImport(LibraryName)]
    internal static partial uint gss_acquire_cred_with_password(
        out uint minor, IntPtr name, ref Buffer password, uint timeRequested, IntPtr mechanisms, int usage,
        out IntPtr credential, IntPtr actualMechanisms, IntPtr timeReceived);

    [LibraryImport(LibraryName)]
    internal static partial uint gss_init_sec_context(
        out uint minor, IntPtr credential, ref IntPtr context, IntPtr target, IntPtr mechanism, uint flags,
        uint timeRequested, IntPtr channelBindings, ref Buffer input, IntPtr actualMechanism, out Buffer output,
        out uint returnedFlags, IntPtr timeReceived);

    [LibraryImport(LibraryName)]
    internal static partial uint gss_wrap(
        out uint minor, IntPtr context, int encrypt, uint qop, ref Buffer input, out int encrypted, out Buffer output);

    [LibraryImport(LibraryName)]
    internal static partial uint gss_unwrap(
        out uint minor, IntPtr context, ref Buffer input, out Buffer output, out int encrypted, out uint qop);

    [LibraryImport(LibraryName)]
    internal static partial uint gss_display_status(
        out uint minor, uint status, int statusType, IntPtr mechanism, ref uint messageContext, out Buffer text);

    [LibraryImport(LibraryName)]
    private static partial uint gss_release_buffer(out uint minor, ref Buffer buffer);

    [LibraryImport(LibraryName)]
    internal static partial uint gss_release_name(out uint minor, ref IntPtr name);

    [LibraryImport(LibraryName)]
    internal static partial uint gss_release_cred(out uint minor, ref IntPtr credential);

    [LibraryImport(LibraryName)]
    internal static partial uint gss_delete_sec_context(out uint minor, ref IntPtr context, IntPtr outputToken);
}
