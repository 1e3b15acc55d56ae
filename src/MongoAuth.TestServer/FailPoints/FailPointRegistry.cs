using MongoAuth.TestServer.Authentication;
using MongoDB.Bson;

namespace MongoAuth.TestServer.FailPoints;

/// <summary>The server's active <c>failCommand</c> fail point and its remaining count (thread-safe).</summary>
internal sealed class FailPointRegistry
{
    private readonly Lock _lock = new();
    private FailCommand? _active;
    private int _remaining;
    private int _skip;

    /// <summary>Sets (or with null, clears) the fail point.</summary>
    public void Set(FailCommand? failCommand)
    {
        lock (_lock)
        {
            _active = failCommand;
            _remaining = failCommand?.Times ?? int.MaxValue;
            _skip = failCommand?.Skip ?? 0;
        }
    }

    /// <summary>The fail point to apply to <paramref name="commandName"/>, consuming one of its times; or null.</summary>
    public FailCommand? Take(string commandName, string? appName)
    {
        lock (_lock)
        {
            var active = _active;
            if (active is null || !active.Commands.Contains(commandName, StringComparer.Ordinal) ||
                (active.AppName is not null && active.AppName != appName))
            {
                return null;
            }

            if (_skip > 0)
            {
                _skip--;
                return null;
            }

            if (--_remaining <= 0)
            {
                _active = null;
            }

            return active;
        }
    }

    /// <summary>
    /// Applies a <c>configureFailPoint</c> command: <c>{configureFailPoint:"failCommand", mode, data}</c>.
    /// </summary>
    public void Configure(BsonDocument command)
    {
        var name = command["configureFailPoint"];
        if (!name.IsString || name.AsString != "failCommand")
        {
            throw new ServerCommandException(2, "BadValue", $"Unknown fail point: {name}");
        }

        var mode = command.GetValue("mode", BsonNull.Value);
        int? times;
        var skip = 0;
        if (mode.IsString && mode.AsString == "off")
        {
            Set(null);
            return;
        }
        else if (mode.IsString && mode.AsString == "alwaysOn")
        {
            times = null;
        }
        else if (mode.IsBsonDocument && mode.AsBsonDocument.TryGetValue("times", out var n) && n.IsNumeric && n.ToInt32() > 0)
        {
            times = n.ToInt32();
        }
        else if (mode.IsBsonDocument && mode.AsBsonDocument.TryGetValue("skip", out var s) && s.IsNumeric && s.ToInt32() >= 0)
        {
            times = null;
            skip = s.ToInt32();
        }
        else
        {
            throw new ServerCommandException(2, "BadValue", "mode must be \"off\", \"alwaysOn\", {times: n > 0} or {skip: n >= 0}.");
        }

        var data = command.GetValue("data", new BsonDocument());
        if (!data.IsBsonDocument || !data.AsBsonDocument.TryGetValue("failCommands", out var commands) || !commands.IsBsonArray)
        {
            throw new ServerCommandException(2, "BadValue", "data.failCommands must be an array of command names.");
        }

        var d = data.AsBsonDocument;
        Set(new FailCommand
        {
            Commands = [.. commands.AsBsonArray.Select(c => c.ToString()!)],
            Times = times,
            Skip = skip,
            ErrorCode = d.TryGetValue("errorCode", out var code) && code.IsNumeric ? code.ToInt32() : null,
            CloseConnection = d.TryGetValue("closeConnection", out var close) && close.ToBoolean(),
            BlockTime = d.TryGetValue("blockConnection", out var block) && block.ToBoolean()
                ? TimeSpan.FromMilliseconds(d.GetValue("blockTimeMS", 0).ToInt32())
                : null,
            ErrorLabels = d.TryGetValue("errorLabels", out var labels) && labels.IsBsonArray
                ? [.. labels.AsBsonArray.Select(l => l.ToString()!)]
                : [],
            AppName = d.TryGetValue("appName", out var app) && app.IsString ? app.AsString : null,
        });
    }
}
