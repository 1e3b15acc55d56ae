using System.Globalization;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Tls;
using MongoAuth.TestServer.Topology;

namespace MongoAuth.Cli.Commands;

/// <summary>
/// <c>mongoauth serve --replica-set NAME [--members N] [--no-tls] [--user NAME:PASSWORD[:ROLE@DB,...]]...</c>: the test
/// server's replica set on loopback (N members, 3 by default, sharing one data and user store), printing a ready
/// <c>mongodb://</c> line per user that names every member and the set, until Ctrl+C. The options are rows of
/// <see cref="ServeOptions"/>'s table like every other serve option.
/// </summary>
internal static class ReplicaSetServe
{
    /// <summary>The member count when <c>--members</c> is not given.</summary>
    public const int DefaultMembers = 3;

    public static async Task<int> RunAsync(ServeOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var name = options.ReplicaSetName ?? throw new ArgumentException("--replica-set is required", nameof(options));
        var members = options.Members ?? DefaultMembers;
        var users = options.Users.Count > 0 ? options.Users : [new DevUser(EmbeddedServer.DemoUser, EmbeddedServer.RandomPassword(), [ServeOptions.DefaultRole])];
        using var certificate = options.Tls ? SelfSignedCertificate.CreateForLoopback() : null;
        var set = await MongoTestReplicaSet.StartAsync(new ReplicaSetOptions
        {
            Name = name,
            Members = members,
            Server = new TestServerOptions { TlsCertificate = certificate },
        }, cancellationToken).ConfigureAwait(false);
        await using var _ = set.ConfigureAwait(false);
        foreach (var user in users)
        {
            set.Users.AddScramUser("admin", user.Name, user.Password, user.Roles);
        }
        var tls = options.Tls ? "&tls=true&tlsAllowInvalidCertificates=true" : "";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"replica set '{name}': {members} members on {string.Join(", ", set.Addresses)}, primary {set.Addresses[0]}{(options.Tls ? " (TLS with a throwaway self-signed certificate)" : "")}")).ConfigureAwait(false);
        if (options.Users.Count == 0)
        {
            await output.WriteLineAsync($"no --user given: user '{users[0].Name}' on admin (role root), password printed once: {users[0].Password}").ConfigureAwait(false);
        }
        // <password> stands in for the password, as in the single-server lines: the line is safe to paste into logs.
        foreach (var user in users)
        {
            await output.WriteLineAsync($"mongodb://{Uri.EscapeDataString(user.Name)}:<password>@{string.Join(',', set.Addresses)}/?replicaSet={Uri.EscapeDataString(name)}{tls}").ConfigureAwait(false);
        }
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
