using System.Collections.Concurrent;
using System.DirectoryServices.Protocols;

namespace MongoAuth.Ldap;

/// <summary>
/// MongoDB's LDAP authorization, end to end: map the user name to a DN (userToDNMapping), bind as the query user,
/// run the query template with <c>{USER}</c> filled in, read the group DNs, and grant each admin role whose name
/// equals a group DN. Group membership is cached per user for
/// <see cref="LdapAuthorizationOptions.UserCacheInvalidationInterval"/>. Also verifies a user's password by an LDAP
/// simple bind as the mapped DN, as mongod does for PLAIN. Thread-safe; create one per server configuration.
/// </summary>
public sealed class LdapAuthorizer
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, CachedMembership> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates the authorizer after checking the options.</summary>
    /// <param name="options">The LDAP settings.</param>
    /// <param name="timeProvider">The clock for the membership cache; null = the system clock.</param>
    /// <exception cref="LdapConfigurationException">The options are invalid.</exception>
    public LdapAuthorizer(LdapAuthorizationOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The settings in use.</summary>
    public LdapAuthorizationOptions Options { get; }

    /// <summary>
    /// Applies userToDNMapping: a substitution rule gives the DN directly; a query rule binds as the query user and
    /// takes the DN of the one entry found. A name no rule matches is returned unchanged.
    /// </summary>
    /// <exception cref="LdapOperationException">The mapping query failed, or found no entry (result 32) or several.</exception>
    public Task<string> MapUserToDnAsync(string user, CancellationToken cancellationToken) =>
        RunAsync(() => MapUserToDn(user, session: null), cancellationToken);

    /// <summary>
    /// Verifies a password by a simple bind as the user's mapped DN. False when the directory rejects it
    /// (wrong password, unknown DN, or a mapping query that finds no user); an empty password is always false,
    /// because LDAP treats it as an unauthenticated bind that succeeds.
    /// </summary>
    /// <exception cref="LdapOperationException">The directory could not be asked (server down, TLS failure, …).</exception>
    public Task<bool> VerifyPasswordAsync(string user, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        return RunAsync(() =>
        {
            if (password.Length == 0 || user.Length == 0)
            {
                return false;
            }
            try
            {
                var dn = MapUserToDn(user, session: null);
                using var session = LdapSession.Open(Options, dn, password);
                return true;
            }
            catch (LdapOperationException e) when (e.ResultCode is LdapResultCodes.InvalidCredentials or LdapResultCodes.NoSuchObject
                or LdapResultCodes.InvalidDnSyntax)
            {
                return false;
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Finds the user's groups (from the cache while it is fresh) and the admin roles they grant.
    /// </summary>
    /// <param name="user">The authenticated user name (before userToDNMapping).</param>
    /// <param name="adminRoleNames">The role names defined on the admin database.</param>
    /// <param name="cancellationToken">Cancels the wait (an LDAP call already sent runs to its timeout).</param>
    /// <exception cref="LdapOperationException">An LDAP operation failed.</exception>
    /// <exception cref="LdapConfigurationException">The expanded query is not a valid LDAP URL.</exception>
    public Task<LdapAuthorization> AuthorizeAsync(string user, IEnumerable<string> adminRoleNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(adminRoleNames);
        var roles = adminRoleNames.ToList();
        return RunAsync(() =>
        {
            var now = _time.GetUtcNow();
            var fromCache = _cache.TryGetValue(user, out var cached) && now - cached.FetchedAt < Options.UserCacheInvalidationInterval;
            if (!fromCache)
            {
                cached = FetchMembership(user, now);
                if (Options.UserCacheInvalidationInterval > TimeSpan.Zero)
                {
                    _cache[user] = cached;
                }
            }
            return new LdapAuthorization(user, cached!.UserDn, cached.Query, cached.GroupDns,
                LdapRoleMapping.MapGroupsToRoles(cached.GroupDns, roles), fromCache);
        }, cancellationToken);
    }

    /// <summary>Forgets every cached membership (mongod's <c>invalidateUserCache</c>).</summary>
    public void InvalidateCache() => _cache.Clear();

    private CachedMembership FetchMembership(string user, DateTimeOffset now)
    {
        using var session = LdapSession.Open(Options, Options.QueryUser, Options.QueryPassword);
        var dn = MapUserToDn(user, session);
        var query = Options.QueryTemplate.Expand(dn);
        var entries = session.Search(query);
        var groups = query.Attributes.Count == 0
            ? entries.Select(e => e.DistinguishedName)
            : entries.SelectMany(e => query.Attributes.SelectMany(a => Values(e, a)));
        return new CachedMembership(dn, query, [.. groups.Distinct(StringComparer.Ordinal)], now);
    }

    private string MapUserToDn(string user, LdapSession? session)
    {
        ArgumentNullException.ThrowIfNull(user);
        var match = Options.UserToDnMapping.Match(user);
        if (match is null)
        {
            return user;
        }
        if (match.Query is null)
        {
            return match.Dn!;
        }
        var owned = session is null ? LdapSession.Open(Options, Options.QueryUser, Options.QueryPassword) : null;
        try
        {
            var entries = (session ?? owned!).Search(match.Query);
            return entries.Count switch
            {
                1 => entries[0].DistinguishedName,
                0 => throw new LdapOperationException(
                    $"userToDNMapping rule {match.RuleIndex} ran '{match.Query}', which found no entry for the user.", LdapResultCodes.NoSuchObject),
                _ => throw new LdapOperationException(
                    $"userToDNMapping rule {match.RuleIndex} ran '{match.Query}', which found {entries.Count} entries; it must find exactly one."),
            };
        }
        finally
        {
            owned?.Dispose();
        }
    }

    private static IEnumerable<string> Values(SearchResultEntry entry, string attribute)
    {
        foreach (string name in entry.Attributes.AttributeNames)
        {
            if (string.Equals(name, attribute, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Attributes[name].GetValues(typeof(string)).Cast<string>();
            }
        }
        return [];
    }

    private static Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken) =>
        // libldap calls block; run them off the caller's thread. Each call is bounded by Options.Timeout.
        Task.Run(work, cancellationToken);

    private sealed record CachedMembership(string UserDn, LdapUrl Query, IReadOnlyList<string> GroupDns, DateTimeOffset FetchedAt);
}
