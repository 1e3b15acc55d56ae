using MongoAuth.Authentication;
using MongoAuth.Operations;
using MongoDB.Bson;

namespace MongoAuth.Tests.Support;

/// <summary>An <see cref="ICommandChannel"/> that answers from a script and records what was sent.</summary>
internal sealed class RecordingCommandChannel(Func<BsonDocument, BsonDocument> script) : ICommandChannel
{
    public List<(string Database, BsonDocument Command)> Sent { get; } = [];

    public IEnumerable<string> Names => Sent.Select(s => s.Command.GetElement(0).Name);

    public Task<BsonDocument> RunCommandAsync(string database, BsonDocument command, string step, OperationContext context)
    {
        Sent.Add((database, command));
        var reply = script(command);
        return reply.GetValue("ok", 0).ToDouble() == 1
            ? Task.FromResult(reply)
            : Task.FromException<BsonDocument>(MongoCommandException.FromReply(command.GetElement(0).Name, reply));
    }
}
