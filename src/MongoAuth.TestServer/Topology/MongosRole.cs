using MongoDB.Bson;

namespace MongoAuth.TestServer.Topology;

/// <summary>A mongos router of a <see cref="MongoTestShardedCluster"/>: hello says <c>msg: "isdbgrid"</c> and every router writes.</summary>
internal sealed class MongosRole(DeploymentState deployment) : ServerRole(deployment)
{
    protected override bool IsWritable => true;

    public override void AddHelloFields(BsonDocument reply, string writableField)
    {
        reply[writableField] = true;
        reply["msg"] = "isdbgrid";
    }
}
