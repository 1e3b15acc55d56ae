using System.DirectoryServices.Protocols;
using System.Globalization;
using System.Net;

namespace MongoAuth.Ldap;

/// <summary>
/// One bound LDAP connection over System.DirectoryServices.Protocols. Servers are tried in order; a server that
/// cannot be reached is skipped, any other failure is final. Every failure becomes an
/// <see cref="LdapOperationException"/> whose message says what the result code means.
/// </summary>
internal sealed class LdapSession : IDisposable
{
    private readonly LdapConnection _connection;

    private LdapSession(LdapConnection connection, string server)
    {
        _connection = connection;
        Server = server;
    }

    /// <summary>The <c>host:port</c> this session is bound to.</summary>
    public string Server { get; }

    /// <summary>Connects and binds as <paramref name="bindDn"/> (anonymous when null).</summary>
    public static LdapSession Open(LdapAuthorizationOptions options, string? bindDn, string? password)
    {
        LdapOperationException? unreachable = null;
        foreach (var server in options.Servers)
        {
            var (host, port) = SplitServer(server, options.TransportSecurity);
            var endpoint = string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
            var connection = Connect(options, host, port);
            try
            {
                if (options.TransportSecurity == LdapTransportSecurity.StartTls)
                {
                    // On Linux, S.DS.P opens the socket only in Bind, and StartTLS on an unopened handle fails with
                    // "server down" (dotnet/runtime#96988): open it with an anonymous bind, which sends no secret.
                    connection.Bind();
                    connection.SessionOptions.StartTransportLayerSecurity(null);
                }
                if (bindDn is not null)
                {
                    connection.AuthType = AuthType.Basic;
                    connection.Bind(new NetworkCredential(bindDn, password));
                }
                else if (options.TransportSecurity != LdapTransportSecurity.StartTls)
                {
                    connection.Bind();
                }
                return new LdapSession(connection, endpoint);
            }
            catch (Exception e) when (e is DirectoryException or InvalidOperationException)
            {
                connection.Dispose();
                var error = Translate(e, bindDn is null ? "Anonymous bind" : $"Bind as '{bindDn}'", endpoint);
                if (!error.IsServerUnavailable)
                {
                    throw error;
                }
                unreachable = error;
            }
        }
        throw unreachable!;
    }

    /// <summary>Runs the search an LDAP URL describes.</summary>
    public IReadOnlyList<SearchResultEntry> Search(LdapUrl url)
    {
        var scope = url.Scope switch
        {
            LdapScope.OneLevel => SearchScope.OneLevel,
            LdapScope.Subtree => SearchScope.Subtree,
            _ => SearchScope.Base,
        };
        var request = new SearchRequest(url.BaseDn.ToString(), url.Filter, scope, [.. url.Attributes]);
        try
        {
            var response = (SearchResponse)_connection.SendRequest(request);
            return [.. response.Entries.Cast<SearchResultEntry>()];
        }
        catch (Exception e) when (e is DirectoryException or InvalidOperationException)
        {
            throw Translate(e, $"Search '{url}'", Server);
        }
    }

    public void Dispose() => _connection.Dispose();

    private static LdapConnection Connect(LdapAuthorizationOptions options, string host, int port)
    {
        var identifier = new LdapDirectoryIdentifier(host, port, fullyQualifiedDnsHostName: false, connectionless: false);
        var connection = new LdapConnection(identifier, null, AuthType.Anonymous);
        connection.Timeout = options.Timeout;
        connection.SessionOptions.ProtocolVersion = 3;
        connection.SessionOptions.ReferralChasing = ReferralChasingOptions.None;
        if (options.TransportSecurity == LdapTransportSecurity.Ldaps)
        {
            connection.SessionOptions.SecureSocketLayer = true;
        }
        return connection;
    }

    internal static (string Host, int Port) SplitServer(string server, LdapTransportSecurity security)
    {
        var defaultPort = security == LdapTransportSecurity.Ldaps ? 636 : 389;
        var text = server.Trim();
        var colon = text.LastIndexOf(':');
        var closing = text.LastIndexOf(']');
        if (colon < 0 || colon < closing || (closing < 0 && text.IndexOf(':', StringComparison.Ordinal) != colon))
        {
            return (text.Trim('[', ']'), defaultPort);
        }
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new LdapConfigurationException($"The LDAP server '{server}' has an invalid port (1-65535).");
        }
        return (text[..colon].Trim('[', ']'), port);
    }

    private static LdapOperationException Translate(Exception e, string what, string server)
    {
        int? code = e switch
        {
            LdapException l => l.ErrorCode,
            DirectoryOperationException { Response: not null } d => (int)d.Response.ResultCode,
            _ => null,
        };
        var words = code is { } c ? LdapResultCodes.Describe(c) : e.Message;
        return new LdapOperationException($"{what} on LDAP server {server} failed: {words}.", code, e);
    }
}
