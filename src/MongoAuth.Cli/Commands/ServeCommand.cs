namespace MongoAuth.Cli.Commands;

/// <summary>
/// <c>mongoauth serve [options]</c>: runs the dev server until Ctrl+C and prints a ready <c>mongodb://</c> line per
/// user and mechanism (<c>&lt;password&gt;</c> in place of passwords). docs/dev-server.md describes it.
/// </summary>
internal static class ServeCommand
{
    public static string Usage => "usage: mongoauth serve [options]" + Environment.NewLine + ServeOptions.Help;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        ServeOptions options;
        try
        {
            options = ServeOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await output.WriteLineAsync($"serve: {e.Message}{Environment.NewLine}{Usage}").ConfigureAwait(false);
            return 2;
        }
        if (options.ReplicaSetName is not null)
        {
            return await ReplicaSetServe.RunAsync(options, output, cancellationToken).ConfigureAwait(false);
        }

        EmbeddedServer server;
        try
        {
#pragma warning disable CA2000 // Disposed by the await using below, which the analyzer does not follow across the try.
            server = await EmbeddedServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
#pragma warning restore CA2000
        }
        catch (Exception e) when (e is ArgumentException or IOException or System.Security.Cryptography.CryptographicException or MongoAuth.Ldap.LdapConfigurationException)
        {
            await output.WriteLineAsync($"serve: {e.Message}{Environment.NewLine}{Usage}").ConfigureAwait(false);
            return 2;
        }
        await using (server.ConfigureAwait(false))
        {
            await output.WriteLineAsync(server.CaFile is null
                ? $"listening on {server.Address} without TLS"
                : $"listening on {server.Address} with TLS (a throwaway certificate for localhost; its PEM is {server.CaFile})").ConfigureAwait(false);
            var users = options.Users;
            if (users.Count == 0)
            {
                var demo = server.FirstUser;
                await output.WriteLineAsync($"no --user given: user '{demo.Name}' on admin (role root), password printed once: {demo.Password}").ConfigureAwait(false);
                users = [demo];
            }
            foreach (var (what, uri) in server.ConnectionStrings(users))
            {
                await output.WriteLineAsync($"{what}:{Environment.NewLine}  {uri}").ConfigureAwait(false);
            }
            await output.WriteLineAsync("ready; Ctrl+C stops").ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await output.WriteLineAsync("stopped").ConfigureAwait(false);
            }
        }
        return 0;
    }
}
