using System.ComponentModel;
using System.Reflection;
using System.Text;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace MongoAuth.Collections;

/// <summary>
/// Reads documents of a plain class-mapped type — a class made by its default constructor whose every member is a
/// settable property of type int, long, double, bool, string or ObjectId with the registry's default serializer — the
/// way its <see cref="BsonClassMapSerializer{TClass}"/> would, without what that costs per document: each value is
/// set through a typed delegate (the class map boxes it for its <c>Setter</c>), and element names are matched against
/// the members' UTF-8 names in place (the class map makes a name decoder per document). It reads only the documents
/// whose outcome is certain: every member present once, each with its own BSON type, nothing else. For anything
/// else — a missing or repeated member, an extra element, a discriminator, a value of another type (which the class
/// map may convert, refuse or default) — it answers false and the caller reads the document again, from its start,
/// with the class map serializer, which decides as it always does. The members are worked out once per type; each
/// cursor gets a reader of its own (its name matcher keeps where the last name matched).
/// </summary>
internal sealed class PlainClassMapReader<T>
{
    private static Entry? s_entry;

    private readonly BsonClassMap _classMap;
    private readonly Member[] _members;
    private readonly NameMatcher _names;
    private readonly uint _all;

    private PlainClassMapReader(BsonClassMap classMap, Member[] members)
    {
        _classMap = classMap;
        _members = members;
        _names = new NameMatcher(members);
        _all = members.Length == 32 ? uint.MaxValue : (1u << members.Length) - 1;
    }

    /// <summary>
    /// A new reader for <typeparamref name="T"/> when <paramref name="serializer"/> is the registry's class-map
    /// serializer of a plain type (see the class summary); null otherwise.
    /// </summary>
    public static PlainClassMapReader<T>? For(IBsonSerializer<T> serializer)
    {
        if (s_entry is not { } entry || !ReferenceEquals(entry.Serializer, serializer))
        {
            entry = s_entry = new Entry(serializer,
                serializer is BsonClassMapSerializer<T> && ReferenceEquals(serializer, BsonSerializer.LookupSerializer<T>()) ? Create() : null);
        }

        return entry.Shape is var (classMap, members) ? new PlainClassMapReader<T>(classMap, members) : null;
    }

    /// <summary>
    /// Reads the document at the reader's position into a new <typeparamref name="T"/>; false, with the reader
    /// anywhere in the document, when it holds anything the class map must decide.
    /// </summary>
    public bool TryRead(IBsonReader reader, out T? document)
    {
        document = default;
        var result = (T)_classMap.CreateInstance();
        reader.ReadStartDocument();
        var seen = 0u;
        while (reader.ReadBsonType() != BsonType.EndOfDocument)
        {
            reader.ReadName(_names);
            var index = _names.Matched;
            if (index < 0 || (seen & (1u << index)) != 0 || reader.CurrentBsonType != _members[index].Type)
            {
                return false;
            }

            _members[index].Read(reader, result);
            seen |= 1u << index;
        }

        reader.ReadEndDocument();
        if (seen != _all)
        {
            return false;
        }

        document = result;
        return true;
    }

    private static (BsonClassMap, Member[])? Create()
    {
        var type = typeof(T);
        if (!type.IsClass || type.IsAbstract || typeof(ISupportInitialize).IsAssignableFrom(type) || BsonSerializer.IsTypeDiscriminated(type))
        {
            return null;
        }

        var classMap = BsonClassMap.LookupClassMap(type);
        var memberMaps = classMap.AllMemberMaps;
        if (classMap.HasCreatorMaps || classMap.ExtraElementsMemberMap is not null || classMap.IsAnonymous || memberMaps.Count is 0 or > 32)
        {
            return null;
        }

        var members = new Member[memberMaps.Count];
        for (var i = 0; i < members.Length; i++)
        {
            if (Bind(memberMaps[i]) is not { } member)
            {
                return null;
            }

            members[i] = member;
        }

        return (classMap, members);
    }

    /// <summary>A typed member for a settable property whose serializer is the default one of its type, or null.</summary>
    private static Member? Bind(BsonMemberMap map)
    {
        if (map.IsReadOnly || map.MemberInfo is not PropertyInfo { SetMethod: { IsStatic: false } set })
        {
            return null;
        }

        try
        {
            return map.GetSerializer() switch
            {
                Int32Serializer { Representation: BsonType.Int32 } when map.MemberType == typeof(int) =>
                    new Member<int>(map.ElementName, BsonType.Int32, set.CreateDelegate<Action<T, int>>(), static r => r.ReadInt32()),
                Int64Serializer { Representation: BsonType.Int64 } when map.MemberType == typeof(long) =>
                    new Member<long>(map.ElementName, BsonType.Int64, set.CreateDelegate<Action<T, long>>(), static r => r.ReadInt64()),
                DoubleSerializer { Representation: BsonType.Double } when map.MemberType == typeof(double) =>
                    new Member<double>(map.ElementName, BsonType.Double, set.CreateDelegate<Action<T, double>>(), static r => r.ReadDouble()),
                BooleanSerializer { Representation: BsonType.Boolean } when map.MemberType == typeof(bool) =>
                    new Member<bool>(map.ElementName, BsonType.Boolean, set.CreateDelegate<Action<T, bool>>(), static r => r.ReadBoolean()),
                StringSerializer { Representation: BsonType.String } when map.MemberType == typeof(string) =>
                    new Member<string>(map.ElementName, BsonType.String, set.CreateDelegate<Action<T, string>>(), static r => r.ReadString()),
                ObjectIdSerializer { Representation: BsonType.ObjectId } when map.MemberType == typeof(ObjectId) =>
                    new Member<ObjectId>(map.ElementName, BsonType.ObjectId, set.CreateDelegate<Action<T, ObjectId>>(), static r => r.ReadObjectId()),
                _ => null,
            };
        }
        catch (ArgumentException)
        {
            // Not bindable as a plain instance property of T: the class map serves it.
            return null;
        }
    }

    /// <summary>One member: its element name (as UTF-8 too), its BSON type, and how it is read and set.</summary>
    private abstract class Member(string elementName, BsonType type)
    {
        public string ElementName { get; } = elementName;

        public byte[] Utf8Name { get; } = Encoding.UTF8.GetBytes(elementName);

        public BsonType Type { get; } = type;

        public abstract void Read(IBsonReader reader, T document);
    }

    private sealed class Member<TValue>(string elementName, BsonType type, Action<T, TValue> set, Func<IBsonReader, TValue> read) : Member(elementName, type)
    {
        public override void Read(IBsonReader reader, T document) => set(document, read(reader));
    }

    /// <summary>
    /// Matches an element name against the members' UTF-8 names where it lies in the stream (the member after the last
    /// one matched is tried first: documents usually keep the class map's order). Used by one reply at a time.
    /// </summary>
    private sealed class NameMatcher(Member[] members) : INameDecoder
    {
        private int _next;

        /// <summary>The index of the member the last name matched, or -1.</summary>
        public int Matched { get; private set; }

        public string Decode(BsonStream stream, UTF8Encoding encoding)
        {
            var name = stream.ReadCStringBytes();
            for (var k = 0; k < members.Length; k++)
            {
                var index = (_next + k) % members.Length;
                if (name.AsSpan().SequenceEqual(members[index].Utf8Name))
                {
                    (Matched, _next) = (index, index + 1);
                    return members[index].ElementName;
                }
            }

            Matched = -1;
            return encoding.GetString(name);
        }

        public void Inform(string name)
        {
        }
    }

    /// <summary>What <see cref="For"/> found for one serializer (the registry's, in practice).</summary>
    private sealed record Entry(IBsonSerializer<T> Serializer, (BsonClassMap ClassMap, Member[] Members)? Shape);
}
