using MongoDB.Bson;

namespace MongoAuth.Wire;

/// <summary>A kind-1 section: an identifier (e.g. <c>documents</c>) and its documents.</summary>
/// <param name="Identifier">The field name the documents belong to.</param>
/// <param name="Documents">The documents, in order.</param>
internal sealed record DocumentSequence(string Identifier, IReadOnlyList<BsonDocument> Documents);
