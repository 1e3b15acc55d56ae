using MongoAuth.TestServer.Authentication;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Topology;

/// <summary>One member of a <see cref="MongoTestReplicaSet"/>: hello as a replica-set member reports it.</summary>
internal sealed class ReplicaSetMemberRole(MongoTestReplicaSet set, int index) : ServerRole(set.Deployment)
{
    public int Index => index;

    protected override bool IsWritable => set.PrimaryIndex == index;

    protected override bool HoldsData => !set.IsArbiter(index);

    public override void AddHelloFields(BsonDocument reply, string writableField)
    {
        var primary = set.PrimaryIndex;
        var arbiter = set.IsArbiter(index);
        reply[writableField] = primary == index;
        reply["secondary"] = primary != index && !arbiter;
        reply["setName"] = set.SetName;
        reply["setVersion"] = set.SetVersion;
        reply["hosts"] = new BsonArray(set.ListedHosts());
        if (set.PassiveHosts() is { Count: > 0 } passives)
        {
            reply["passives"] = new BsonArray(passives);
        }

        if (set.ArbiterHosts() is { Count: > 0 } arbiters)
        {
            reply["arbiters"] = new BsonArray(arbiters);
        }

        if (primary is { } p)
        {
            reply["primary"] = set.HostOf(p);
        }

        reply["me"] = set.HostOf(index);
        if (primary == index)
        {
            reply["electionId"] = set.ElectionId;
        }

        if (arbiter)
        {
            reply["arbiterOnly"] = true;
        }

        if (set.IsHidden(index))
        {
            reply["hidden"] = true;
        }

        if (set.TagsOf(index) is { Count: > 0 } tags)
        {
            var document = new BsonDocument();
            foreach (var (key, value) in tags)
            {
                document[key] = value;
            }

            reply["tags"] = document;
        }

        if (!arbiter)
        {
            var lastWrite = Deployment.LastWriteDate - set.LagOf(index);
            reply["lastWrite"] = new BsonDocument
            {
                { "opTime", new BsonDocument { { "ts", new BsonTimestamp((int)new DateTimeOffset(lastWrite).ToUnixTimeSeconds(), 1) }, { "t", set.Term } } },
                { "lastWriteDate", new BsonDateTime(lastWrite) },
                { "majorityWriteDate", new BsonDateTime(lastWrite) },
            };
        }
    }

    /// <summary>replSetStepDown / replSetStepUp, run on this member.</summary>
    public BsonDocument RunElectionCommand(string name)
    {
        if (name == "replSetStepDown")
        {
            if (set.PrimaryIndex != index)
            {
                throw new ServerCommandException(10107, "NotWritablePrimary", "not primary so can't step down");
            }

            // The stepDown period is not modelled: another member is elected at once.
            set.StepDown(TimeSpan.Zero);
            return [];
        }

        if (set.IsArbiter(index) || set.IsHidden(index))
        {
            throw new ServerCommandException(94, "NotYetInitialized", "this member cannot become primary (arbiter or priority 0)");
        }

        set.Elect(index);
        return [];
    }
}
