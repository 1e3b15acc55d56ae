// The data-API reference scenario run by the official Node.js driver (npm `mongodb`) against MongoAuth.TestServer.
// Reads {"uri", "db"} as JSON on stdin, runs the same CRUD steps as the C# test CrudReferenceScenarioTests runs
// with MongoAuth and with the official C# driver, and prints one JSON document {step: value} in canonical Extended
// JSON. Errors a step expects are recorded as {code, index?}; anything unexpected fails the script.
'use strict';

const { MongoClient, BSON } = require('mongodb');

const people = [
  { _id: 1, name: 'Ada', age: 36, tags: ['math', 'code'] },
  { _id: 2, name: 'Grace', age: 85, tags: ['navy', 'code'] },
  { _id: 3, name: 'Alan', age: 41, tags: ['math'] },
  { _id: 4, name: 'Edsger', age: 72, tags: [] },
  { _id: 5, name: 'Barbara', age: 85 },
];

function updateResult(r) {
  return { matched: r.matchedCount, modified: r.modifiedCount, upsertedId: r.upsertedId ?? null };
}

async function scenario(collection) {
  const steps = {};
  steps.insertMany = (await collection.insertMany(people)).insertedCount;
  steps.page = await collection.find({ age: { $gte: 40 } }).sort({ age: -1, name: 1 }).skip(1).limit(3)
    .project({ name: 1, _id: 0 }).toArray();
  steps.batched = (await collection.find({}, { batchSize: 2 }).sort({ _id: 1 }).toArray()).map(d => d._id);
  steps.first = await collection.findOne({ tags: 'math' }, { sort: { _id: -1 } });
  steps.count = await collection.countDocuments({ age: 85 });
  steps.countLimited = await collection.countDocuments({}, { skip: 1, limit: 2 });
  steps.estimated = await collection.estimatedDocumentCount();
  steps.updateOne = updateResult(await collection.updateOne({ _id: 1 }, { $inc: { age: 1 }, $set: { city: 'London' } }));
  steps.updateMany = updateResult(await collection.updateMany({ age: 85 }, { $set: { retired: true } }));
  steps.upsert = updateResult(await collection.updateOne({ _id: 6 }, { $set: { name: 'Linus', age: 54 } }, { upsert: true }));
  steps.replaceOne = updateResult(await collection.replaceOne({ _id: 4 }, { name: 'Dijkstra', age: 72 }));
  steps.deleteOne = (await collection.deleteOne({ age: { $lt: 40 } })).deletedCount;
  steps.findOneAndUpdate = await collection.findOneAndUpdate({ _id: 2 }, { $inc: { age: 1 } }, { returnDocument: 'after' });
  steps.findOneAndReplace = await collection.findOneAndReplace({ _id: 6 }, { name: 'Torvalds' });
  steps.findOneAndDelete = await collection.findOneAndDelete({ _id: 3 }, { projection: { name: 1 } });
  steps.findOneAndDeleteMissing = await collection.findOneAndDelete({ _id: 42 });
  steps.distinct = await collection.distinct('tags');
  steps.aggregate = await collection.aggregate([
    { $unwind: '$tags' },
    { $group: { _id: '$tags', n: { $sum: 1 }, oldest: { $max: '$age' } } },
    { $sort: { n: -1, _id: 1 } },
  ]).toArray();
  try {
    await collection.insertOne({ _id: 2, name: 'Grace again' });
    steps.duplicate = 'no error';
  } catch (error) {
    steps.duplicate = { code: error.code };
  }
  try {
    await collection.bulkWrite([
      { insertOne: { document: { _id: 10, name: 'Hedy' } } },
      { insertOne: { document: { _id: 2, name: 'Grace again' } } },
      { updateOne: { filter: { _id: 10 }, update: { $set: { age: 60 } } } },
      { deleteOne: { filter: { _id: 5 } } },
    ], { ordered: false });
    steps.bulk = 'no error';
  } catch (error) {
    steps.bulk = {
      errors: error.writeErrors.map(e => ({ index: e.index, code: e.code })),
      inserted: error.result.insertedCount,
      modified: error.result.modifiedCount,
      deleted: error.result.deletedCount,
    };
  }
  steps.index = await collection.createIndex({ name: 1 }, { unique: true });
  steps.indexes = (await collection.listIndexes().toArray()).map(i => i.name);
  try {
    await collection.updateOne({ _id: 10 }, { $set: { name: 'Grace' } });
    steps.uniqueViolation = 'no error';
  } catch (error) {
    steps.uniqueViolation = { code: error.code };
  }
  steps.final = await collection.find({}).sort({ _id: 1 }).toArray();
  return steps;
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const client = new MongoClient(input.uri, { serverSelectionTimeoutMS: 10000, connectTimeoutMS: 10000 });
  try {
    await client.connect();
    const steps = await scenario(client.db(input.db).collection('people'));
    steps.collections = await client.db(input.db).listCollections({}, { nameOnly: true }).map(c => c.name).toArray();
    process.stdout.write(BSON.EJSON.stringify(steps, { relaxed: false }) + '\n');
  } finally {
    await client.close().catch(() => {});
  }
}

main().catch(error => {
  process.stderr.write(`crud.js failed: ${error && error.stack || error}\n`);
  process.exit(1);
});
