namespace MongoAuth.Cli.Commands;

/// <summary><c>mongoauth serve</c>: runs the embedded dev server until Ctrl+C and prints how to connect.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        if (ReplicaSetServe.Wants(args))
        {
            return await ReplicaSetServe.RunAsync(args, output, cancellationToken).ConfigureAwait(false);
        }

        if (args.Count != 0)
        {
            await output.WriteLineAsync("serve takes no arguments").ConfigureAwait(false);
            return 2;
        }
        var server = await EmbeddedServer.StartAsync(cancellationToken).ConfigureAwait(false);
        await using var _ = server.ConfigureAwait(false);
        var address = server.ClientSettings.Servers[0];
        await output.WriteLineAsync($"listening on {address} (TLS with a throwaway self-signed certificate)").ConfigureAwait(false);
        await output.WriteLineAsync($"user '{EmbeddedServer.DemoUser}' on admin, password printed once: {EmbeddedServer.DemoPassword}").ConfigureAwait(false);
        await output.WriteLineAsync($"connect: mongodb://{EmbeddedServer.DemoUser}:<password>@{address}/?tls=true&tlsAllowInvalidCertificates=true").ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await output.WriteLineAsync("stopped").ConfigureAwait(false);
        }
        return 0;
    }
}
