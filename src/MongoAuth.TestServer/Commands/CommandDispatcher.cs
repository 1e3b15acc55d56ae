using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Commands.Data;
using MongoAuth.TestServer.Connections;
using MongoAuth.TestServer.Protocol;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Commands;

/// <summary>
/// Runs one command: counts it, applies the failCommand fail point, refuses names mongod does not know, checks the
/// versioned API parameters, enforces authentication, then dispatches by name and shapes failures as
/// <c>{ok:0, errmsg, code, codeName}</c>.
/// </summary>
internal static class CommandDispatcher
{
    /// <summary>The commands a connection may run before it authenticates (as on mongod with --auth).</summary>
    private static readonly HashSet<string> AllowedBeforeAuthentication = new(StringComparer.Ordinal)
    {
        "hello", "isMaster", "ismaster", "saslStart", "saslContinue", "authenticate", "ping", "buildInfo",
        "buildinfo", "endSessions", "connectionStatus",
    };

    /// <summary>
    /// The commands mongod (5.1 and later) still accepts as OP_QUERY: the handshake and the authentication commands
    /// drivers send before they know the server speaks OP_MSG (the official C# driver sends saslStart this way).
    /// </summary>
    private static readonly HashSet<string> LegacyQueryCommands = new(StringComparer.Ordinal)
    {
        "hello", "isMaster", "ismaster", "saslStart", "saslContinue", "authenticate", "buildInfo", "buildinfo", "getnonce",
    };

    /// <summary>The reply, or null when the connection must be closed without one.</summary>
    public static async ValueTask<BsonDocument?> DispatchAsync(MongoTestServer server, ConnectionSession session,
        ServerRequest request, CancellationToken cancellationToken)
    {
        var name = request.Name;
        server.Statistics.OnCommand(name, request);
        if (server.FailPoints.Take(name, session.AppName) is { } failPoint)
        {
            if (failPoint.BlockTime is { } block)
            {
                await Task.Delay(block, cancellationToken).ConfigureAwait(false);
            }

            if (failPoint.CloseConnection)
            {
                return null;
            }

            if (failPoint.ErrorCode is { } code)
            {
                var error = ServerReplies.Error(code, ServerReplies.CodeName(code), "Failing command via 'failCommand' failpoint");

                // As mongod: the fail point's error carries topologyVersion and the usual labels unless it names its own.
                server.Role?.LabelRetryableWriteError(error, request, server.ProcessId);
                if (failPoint.ErrorLabels.Count > 0)
                {
                    error["errorLabels"] = new BsonArray(failPoint.ErrorLabels);
                }

                return error;
            }
        }

        // An authentication that expired (an OIDC token past its exp) makes every command but the handshake and the
        // authentication commands fail with 391 until the connection authenticates again, as mongod does.
        if (!IsHello(name) && name is not ("saslStart" or "saslContinue" or "authenticate") &&
            session.ExpireAuthentications(DateTimeOffset.UtcNow))
        {
            return ServerReplies.Error(391, "ReauthenticationRequired", "Reauthentication required: the authentication of this connection has expired.");
        }

        if (request.IsLegacyQuery && !LegacyQueryCommands.Contains(name))
        {
            return ServerReplies.Error(352, "UnsupportedOpQueryCommand", $"Unsupported OP_QUERY command: {name}");
        }

        // mongod's order: look the command up (CommandNotFound even before login), check the versioned API
        // parameters, then authorization. A name outside mongod's list is left to the switch below once the
        // connection may run commands: it answers CommandNotFound unless the test server implements it.
        var known = MongodCommands.IsKnown(name);
        var mustAuthenticate = server.Options.RequireAuthentication && !session.IsAuthenticated &&
            !AllowedBeforeAuthentication.Contains(name);
        if (!known && mustAuthenticate)
        {
            return ServerReplies.CommandNotFound(name);
        }

        if (known && ApiParameters.Check(name, request.Command) is { } apiError)
        {
            return apiError;
        }

        if (mustAuthenticate)
        {
            return ServerReplies.Unauthorized(name);
        }

        try
        {
            var reply = await RunAsync(server, session, request, cancellationToken).ConfigureAwait(false);
            return reply is null ? ServerReplies.CommandNotFound(name) : ServerReplies.Ok(reply);
        }
        catch (ServerCommandException e)
        {
            ServerLog.CommandFailed(server.Logger, session.ConnectionId, name, e.Code);
            var error = ServerReplies.Error(e);
            server.Role?.LabelRetryableWriteError(error, request, server.ProcessId);
            return error;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug in a mechanism must fail the command, not the connection or the listener.
            ServerLog.CommandCrashed(server.Logger, session.ConnectionId, name, e.GetType().Name);
            return ServerReplies.Error(1, "InternalError", $"The test server failed to run {name}.");
        }
    }

    private static async ValueTask<BsonDocument?> RunAsync(MongoTestServer server, ConnectionSession session,
        ServerRequest request, CancellationToken cancellationToken)
    {
        var command = request.Command;
        switch (request.Name)
        {
            case var hello when IsHello(hello):
                return await HelloCommand.HandleAsync(server, session, request, cancellationToken).ConfigureAwait(false);
            case "saslStart":
                return await SaslCommands.StartAsync(server, session, command, request.Database, cancellationToken)
                    .ConfigureAwait(false);
            case "saslContinue":
                return await SaslCommands.ContinueAsync(session, command, cancellationToken).ConfigureAwait(false);
            case "authenticate":
                return AuthenticateCommand.Handle(server, session, command);
            case "ping" or "endSessions":
                return [];
            case "buildInfo" or "buildinfo":
                return StatusCommands.BuildInfo();
            case "connectionStatus":
                return StatusCommands.ConnectionStatus(session, command);
            case "configureFailPoint":
                server.FailPoints.Configure(command);
                return [];
            case "replSetStepDown" or "replSetStepUp" when server.Role is Topology.ReplicaSetMemberRole member:
                return member.RunElectionCommand(request.Name);
            default:
                return DataCommands.Run(server, session, request);
        }
    }

    private static bool IsHello(string name) => name is "hello" or "isMaster" or "ismaster";
}
