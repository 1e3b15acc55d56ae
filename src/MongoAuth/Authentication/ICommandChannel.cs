using MongoAuth.Operations;
using MongoDB.Bson;

namespace MongoAuth.Authentication;

/// <summary>What authentication needs from a connection: run one handshake or authentication command and get the reply.</summary>
internal interface ICommandChannel
{
    /// <summary>
    /// Runs <paramref name="command"/> against <paramref name="database"/>, synchronously or not as
    /// <paramref name="context"/> says, within its deadline. <paramref name="step"/> names the command in errors
    /// (<c>saslStart</c>, <c>saslContinue 2</c>). Throws <see cref="MongoCommandException"/> on <c>ok: 0</c>,
    /// <see cref="MongoOperationTimeoutException"/> when the deadline passes and <see cref="MongoConnectionException"/>
    /// on network failure.
    /// </summary>
    Task<BsonDocument> RunCommandAsync(string database, BsonDocument command, string step, OperationContext context);
}
