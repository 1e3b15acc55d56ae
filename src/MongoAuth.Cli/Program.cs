using MongoAuth.Cli.Commands;

namespace MongoAuth.Cli;

/// <summary>Entry point of the <c>mongoauth</c> tool: dispatches to one command class per verb.</summary>
public static class Program
{
    /// <summary>Dispatches the command line. Exit codes: 0 success, 1 the check failed, 2 usage error.</summary>
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return args switch
        {
            ["check", .. var rest] => await CheckCommand.RunAsync(rest, Console.Out, cancel.Token).ConfigureAwait(false),
            ["serve", .. var rest] => await ServeCommand.RunAsync(rest, Console.Out, cancel.Token).ConfigureAwait(false),
            ["ldap-preview", .. var rest] => await LdapPreviewCommand.RunAsync(rest, Console.Out, cancel.Token).ConfigureAwait(false),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("""
            usage: mongoauth check [mongodb://user:password@host/?options]
                       connect and authenticate step by step, timing TCP, TLS, hello, auth and the first command
                       (no URI: start the embedded dev server and connect to it with SCRAM-SHA-256 over TLS);
                       prints connection-string warnings first and a hint after common misconfigurations
                   mongoauth serve [--port N] [--no-tls] [--user NAME:PASSWORD[:ROLE@DB]]... [X.509, PLAIN, GSSAPI, AWS, OIDC, replica-set options]
                       run the dev server until Ctrl+C and print a ready mongodb:// line per user (see docs/dev-server.md)
                   mongoauth ldap-preview --servers host[:port] --query-template <url> --user <name> ...
                       preview MongoDB's LDAP authorization for one user (run it without arguments for its options)
            """);
        return 2;
    }
}
