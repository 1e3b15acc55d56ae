using System.Diagnostics;

namespace MongoAuth.Tests.Ldap;

/// <summary><c>mongoauth ldap-preview …</c> run as a process: Program dispatches the verb to the preview command.</summary>
public sealed class LdapPreviewProgramTests
{
    /// <summary>Upper bound for the child process, so a hang fails the test instead of blocking the run.</summary>
    private static readonly TimeSpan ProcessLimit = TimeSpan.FromSeconds(60);

    private static async Task<(int Code, string Output, string Error)> MongoAuthAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MongoAuth.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("mongoauth did not start.");
        using var limit = new CancellationTokenSource(ProcessLimit);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(limit.Token);
            var error = process.StandardError.ReadToEndAsync(limit.Token);
            await process.WaitForExitAsync(limit.Token);
            return (process.ExitCode, await output, await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task The_ldap_preview_verb_prints_the_dn_groups_and_roles()
    {
        var (code, output, error) = await MongoAuthAsync("ldap-preview", "--servers", LdapBackend.Server,
            "--bind-user", LdapBackend.BindDn, "--bind-password-env", "MONGOAUTH_LDAP_BIND_PASSWORD",
            "--query-template", "{USER}?memberOf?base", "--user-to-dn-mapping", LdapBackend.UidLookupMapping,
            "--user", "alice", "--role", LdapBackend.Group("cn=admins"));

        Assert.True(code == 0, $"exit {code}: {output}{error}");
        Assert.Contains("transformed DN: uid=alice," + LdapBackend.UsersDn, output, StringComparison.Ordinal);
        Assert.Contains("groups found:   2", output, StringComparison.Ordinal);
        Assert.Contains("roles granted:  1", output, StringComparison.Ordinal);
        Assert.DoesNotContain(LdapBackend.BindPassword, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_query_template_exits_1_and_says_why()
    {
        var (code, output, _) = await MongoAuthAsync("ldap-preview", "--servers", "127.0.0.1:1",
            "--query-template", "{USER}?memberOf?everywhere", "--user", "alice");

        Assert.Equal(1, code);
        Assert.Contains("everywhere", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_to_ldap_preview_exit_2_with_its_usage()
    {
        var (code, output, _) = await MongoAuthAsync("ldap-preview", "--bogus");

        Assert.Equal(2, code);
        Assert.Contains("usage: mongoauth ldap-preview", output, StringComparison.Ordinal);
    }
}
