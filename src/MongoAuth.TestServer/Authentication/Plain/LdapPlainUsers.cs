using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MongoAuth.Ldap;

namespace MongoAuth.TestServer.Authentication.Plain;

/// <summary>
/// PLAIN against an LDAP directory, as mongod does with <c>security.ldap.*</c>: the password is checked by a
/// simple bind as the user's mapped DN, then LDAP authorization turns the user's groups into roles on
/// <c>admin</c>. Users authenticate against <c>$external</c>. Every failure reaches the client as
/// AuthenticationFailed (18); the reason (LDAP server down, bind rejected, bad query) goes to the server log.
/// </summary>
public sealed partial class LdapPlainUsers : IPlainUserVerifier
{
    private readonly LdapAuthorizer _authorizer;
    private readonly IReadOnlyList<string> _adminRoles;
    private readonly ILogger _logger;

    /// <summary>Creates the verifier.</summary>
    /// <param name="authorizer">The LDAP settings and membership cache.</param>
    /// <param name="adminRoleNames">The roles defined on the admin database (named for group DNs).</param>
    /// <param name="logger">Where failures are explained; null = nowhere.</param>
    public LdapPlainUsers(LdapAuthorizer authorizer, IEnumerable<string> adminRoleNames, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(adminRoleNames);
        _authorizer = authorizer;
        _adminRoles = [.. adminRoleNames];
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async ValueTask<AuthenticatedUser> VerifyAsync(string user, string password, ServerConversationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Database != "$external")
        {
            LogWrongDatabase(_logger, user, context.Database);
            throw ServerCommandException.AuthenticationFailed();
        }
        try
        {
            if (!await _authorizer.VerifyPasswordAsync(user, password, cancellationToken).ConfigureAwait(false))
            {
                LogBindRejected(_logger, user);
                throw ServerCommandException.AuthenticationFailed();
            }
            var authorization = await _authorizer.AuthorizeAsync(user, _adminRoles, cancellationToken).ConfigureAwait(false);
            LogAuthorized(_logger, user, authorization.UserDn, authorization.GroupDns.Count, string.Join("; ", authorization.Roles));
            return new AuthenticatedUser(user, "$external", [.. authorization.Roles.Select(r => new GrantedRole(r, "admin"))]);
        }
        catch (Exception e) when (e is LdapOperationException or LdapConfigurationException)
        {
            LogLdapFailure(_logger, user, e.Message);
            throw ServerCommandException.AuthenticationFailed();
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "PLAIN for user '{User}' refused: LDAP users authenticate against $external, not '{Database}'.")]
    private static partial void LogWrongDatabase(ILogger logger, string user, string database);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "PLAIN for user '{User}' failed: the LDAP server rejected the bind (wrong password or unknown user).")]
    private static partial void LogBindRejected(ILogger logger, string user);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "PLAIN user '{User}' authenticated as '{UserDn}'; {GroupCount} LDAP group(s) granted roles [{Roles}].")]
    private static partial void LogAuthorized(ILogger logger, string user, string userDn, int groupCount, string roles);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "PLAIN for user '{User}' failed because of LDAP: {Reason}")]
    private static partial void LogLdapFailure(ILogger logger, string user, string reason);
}
