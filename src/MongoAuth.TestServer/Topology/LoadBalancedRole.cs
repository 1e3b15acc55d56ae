using MongoAuth.TestServer.Protocol;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Topology;

/// <summary>The mongos routers behind a <see cref="MongoTestLoadBalancer"/>: mongos hello plus serviceId, cursors owned by their backend.</summary>
internal sealed class LoadBalancedRole(MongoTestLoadBalancer balancer) : ServerRole(balancer.Deployment)
{
    protected override bool IsWritable => true;

    public override void AddHelloFields(BsonDocument reply, string writableField)
    {
        reply[writableField] = true;
        reply["msg"] = "isdbgrid";
    }

    public override void AddHandshakeFields(BsonDocument reply, BsonDocument command, long connectionId)
    {
        // mongos (5.0+) behind a load balancer sends serviceId only to a hello that says loadBalanced: true.
        if (balancer.SendsServiceId && command.GetValue("loadBalanced", false).ToBoolean())
        {
            reply["serviceId"] = balancer.ServiceOf(connectionId);
        }
    }

    public override void CheckConnection(ServerRequest request, long connectionId)
    {
        var command = request.Command;
        if (request.Name == "getMore" && command[0].IsNumeric)
        {
            balancer.CheckCursor(command[0].ToInt64(), connectionId);
        }
        else if (request.Name == "killCursors" && command.GetValue("cursors", BsonNull.Value) is BsonArray ids)
        {
            foreach (var id in ids.Where(i => i.IsNumeric))
            {
                balancer.CheckCursor(id.ToInt64(), connectionId);
            }
        }
    }

    public override void OnReply(ServerRequest request, BsonDocument reply, long connectionId)
    {
        if (reply.GetValue("cursor", BsonNull.Value) is BsonDocument cursor && cursor.GetValue("id", 0L).ToInt64() is var id and not 0 &&
            request.Name != "getMore")
        {
            balancer.OpenedCursor(id, connectionId);
        }
    }
}
