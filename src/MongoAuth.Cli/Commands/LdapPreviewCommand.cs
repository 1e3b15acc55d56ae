using MongoAuth.Ldap;

namespace MongoAuth.Cli.Commands;

/// <summary>
/// <c>mongoauth ldap-preview</c>: runs MongoDB's LDAP authorization for one user against real LDAP servers and prints
/// each stage (transformed DN, query URL, groups found, roles granted), so a wrong role can be traced to its cause.
/// </summary>
internal static class LdapPreviewCommand
{
    public const string Usage = """
        usage: mongoauth ldap-preview --servers host[:port][,host[:port]...] --query-template <url> --user <name>
                                      [--bind-user <dn>] [--bind-password-env <VAR> | --bind-password <pw>]
                                      [--user-to-dn-mapping <json>] [--tls none|starttls|ldaps] [--role <name>]...
          --query-template      security.ldap.authz.queryTemplate, e.g. '{USER}?memberOf?base'
          --user-to-dn-mapping  security.ldap.userToDNMapping, e.g. '[{match: "(.+)", substitution: "uid={0},ou=users,dc=example,dc=com"}]'
          --role                a role name on the admin database (repeat for each); a group DN equal to it grants it
          --bind-password-env   read the bind password from this environment variable (keeps it out of the process list)
        """;

    /// <summary>Runs the command; 0 = done, 1 = LDAP or configuration failure, 2 = bad arguments.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (!TryParseArguments(args, out var parsed, out var problem))
        {
            await output.WriteLineAsync($"ldap-preview: {problem}\n{Usage}".AsMemory(), cancellationToken).ConfigureAwait(false);
            return 2;
        }
        try
        {
            var options = new LdapAuthorizationOptions
            {
                Servers = parsed.Servers,
                QueryUser = parsed.BindUser,
                QueryPassword = parsed.BindPassword,
                QueryTemplate = LdapQueryTemplate.Parse(parsed.QueryTemplate),
                UserToDnMapping = UserToDnMapping.Parse(parsed.Mapping ?? ""),
                TransportSecurity = parsed.Tls,
                UserCacheInvalidationInterval = TimeSpan.Zero,
            };
            var authorization = await new LdapAuthorizer(options)
                .AuthorizeAsync(parsed.User, parsed.Roles, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(Describe(options, parsed.Roles, authorization).AsMemory(), cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is LdapConfigurationException or LdapOperationException)
        {
            await output.WriteLineAsync($"ldap-preview: {e.Message}".AsMemory(), cancellationToken).ConfigureAwait(false);
            return 1;
        }
    }

    private static string Describe(LdapAuthorizationOptions options, IReadOnlyList<string> roles, LdapAuthorization result)
    {
        var match = options.UserToDnMapping.Match(result.User);
        var how = match switch
        {
            null => options.UserToDnMapping.Rules.Count == 0 ? "no userToDNMapping: used as is" : "no rule matched: used as is",
            { Query: not null } => $"rule {match.RuleIndex}, ldapQuery {match.Query}",
            _ => $"rule {match.RuleIndex}, substitution",
        };
        var scheme = options.TransportSecurity == LdapTransportSecurity.Ldaps ? "ldaps" : "ldap";
        var lines = new List<string>
        {
            $"user:           {result.User}",
            $"transformed DN: {result.UserDn}  ({how})",
            $"query URL:      {scheme}://{options.Servers[0]}/{result.Query}",
            $"groups found:   {result.GroupDns.Count}",
        };
        lines.AddRange(result.GroupDns.Select(g => "  " + g + (LdapRoleMapping.MapGroupsToRoles([g], roles).Count == 0 ? "  (no role with this name)" : "")));
        lines.Add($"roles granted:  {result.Roles.Count}{(result.Roles.Count == 0 ? "  (the user would authenticate with no roles)" : "")}");
        lines.AddRange(result.Roles.Select(r => "  " + r + " (admin)"));
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    private sealed record Arguments(
        IReadOnlyList<string> Servers, string? BindUser, string? BindPassword, string QueryTemplate, string? Mapping,
        LdapTransportSecurity Tls, string User, IReadOnlyList<string> Roles);

    private static bool TryParseArguments(string[] args, out Arguments parsed, out string problem)
    {
        parsed = null!;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var roles = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is not ("--servers" or "--bind-user" or "--bind-password" or "--bind-password-env" or "--query-template"
                or "--user-to-dn-mapping" or "--tls" or "--user" or "--role"))
            {
                problem = $"unknown argument '{name}'";
                return false;
            }
            if (i + 1 == args.Length)
            {
                problem = $"{name} needs a value";
                return false;
            }
            var value = args[++i];
            if (name == "--role")
            {
                roles.Add(value);
            }
            else
            {
                values[name] = value;
            }
        }
        foreach (var required in new[] { "--servers", "--query-template", "--user" })
        {
            if (!values.ContainsKey(required))
            {
                problem = $"{required} is required";
                return false;
            }
        }
        var password = values.GetValueOrDefault("--bind-password");
        if (values.TryGetValue("--bind-password-env", out var variable))
        {
            password = Environment.GetEnvironmentVariable(variable);
            if (password is null)
            {
                problem = $"the environment variable {variable} (--bind-password-env) is not set";
                return false;
            }
        }
        LdapTransportSecurity tls;
        switch (values.GetValueOrDefault("--tls", "none"))
        {
            case "none": tls = LdapTransportSecurity.None; break;
            case "starttls": tls = LdapTransportSecurity.StartTls; break;
            case "ldaps": tls = LdapTransportSecurity.Ldaps; break;
            default:
                problem = "--tls must be none, starttls or ldaps";
                return false;
        }
        problem = "";
        parsed = new Arguments(
            values["--servers"].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            values.GetValueOrDefault("--bind-user"), password, values["--query-template"],
            values.GetValueOrDefault("--user-to-dn-mapping"), tls, values["--user"], roles);
        return true;
    }
}
