using System.Globalization;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Tls;
using MongoAuth.TestServer.Topology;

namespace MongoAuth.Cli.Commands;

/// <summary>
/// <c>mongoauth serve --replica-set NAME [--members N] [--no-tls] [--user NAME:PASSWORD]</c>: the test server's
/// replica set on loopback (N members, 3 by default, sharing one data and user store), printing a ready
/// <c>mongodb://</c> line that names every member and the set, until Ctrl+C.
/// </summary>
internal static class ReplicaSetServe
{
    /// <summary>Whether the arguments ask for a replica set.</summary>
    public static bool Wants(IReadOnlyList<string> args) => args.Contains("--replica-set");

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        if (!TryParse(args, out var name, out var members, out var tls, out var user, out var password, out var problem))
        {
            await output.WriteLineAsync(problem).ConfigureAwait(false);
            return 2;
        }

        var generated = !args.Contains("--user");
        using var certificate = tls ? SelfSignedCertificate.CreateForLoopback() : null;
        var set = await MongoTestReplicaSet.StartAsync(new ReplicaSetOptions
        {
            Name = name,
            Members = members,
            Server = new TestServerOptions { TlsCertificate = certificate },
        }, cancellationToken).ConfigureAwait(false);
        await using var _ = set.ConfigureAwait(false);
        set.Users.AddScramUser("admin", user, password, [new GrantedRole("root", "admin"), new GrantedRole("readWrite", "app")]);
        var options = tls ? "&tls=true&tlsAllowInvalidCertificates=true" : "";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"replica set '{name}': {members} members on {string.Join(", ", set.Addresses)}, primary {set.Addresses[0]}{(tls ? " (TLS with a throwaway self-signed certificate)" : "")}")).ConfigureAwait(false);
        if (generated)
        {
            await output.WriteLineAsync($"no --user given: user '{user}' on admin (role root), password printed once: {password}").ConfigureAwait(false);
        }
        // <password> stands in for the password, as in the single-server lines: the line is safe to paste into logs.
        await output.WriteLineAsync($"mongodb://{Uri.EscapeDataString(user)}:<password>@{string.Join(',', set.Addresses)}/?replicaSet={Uri.EscapeDataString(name)}{options}").ConfigureAwait(false);
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

    private static bool TryParse(IReadOnlyList<string> args, out string name, out int members, out bool tls, out string user, out string password, out string problem)
    {
        (name, members, tls, user, password, problem) = ("", 3, true, EmbeddedServer.DemoUser, "", "");
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--replica-set" when !string.IsNullOrWhiteSpace(value):
                    name = value;
                    i++;
                    break;
                case "--members" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= 50:
                    members = count;
                    i++;
                    break;
                case "--no-tls":
                    tls = false;
                    break;
                case "--user" when value?.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon && colon < value.Length - 1:
                    (user, password) = (value[..colon], value[(colon + 1)..]);
                    i++;
                    break;
                default:
                    problem = $"serve: unexpected '{args[i]}'. Usage: serve --replica-set NAME [--members N (1-50)] [--no-tls] [--user NAME:PASSWORD]";
                    return false;
            }
        }

        if (password.Length == 0)
        {
            password = EmbeddedServer.RandomPassword();
        }

        return true;
    }
}
