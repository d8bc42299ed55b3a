import { GridFSBucket, MongoClient, type Collection, type Db, type Document } from 'mongodb';
import type { Logger } from '../log/index.ts';
import { collectionNames, counterNames, filesBucketName, type CollectionName } from './collection-names.ts';
import { indexSpecs } from './index-specs.ts';
import { withStoreErrors } from './map-mongo-error.ts';
import { startEmbeddedServer, type EmbeddedKind, type EmbeddedServer } from './embedded/start-embedded-server.ts';
import { findRunningServer, recordRunningServer } from './embedded/shared-server-file.ts';

export interface Store {
  readonly client: MongoClient;
  readonly db: Db;
  /** Where the data lives: the user's server, or which embedded server we started. */
  readonly origin: 'uri' | EmbeddedKind;
  readonly uri: string;
  collection<T extends Document = Document>(name: CollectionName): Collection<T>;
  files(): GridFSBucket;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** A user's MONGODB_URI always wins over the embedded server. */
  uri?: string | undefined;
  dbName: string;
  logger: Logger;
  /** Needed only when no uri is given. */
  embedded?: { dataDir: string; cacheDir: string; pathVariable: string | undefined; port?: number };
  /** How long to wait for an unreachable server before an operation fails (ms). */
  serverSelectionTimeoutMs?: number;
  /** Emit the driver's commandStarted/commandSucceeded events on `client` (benchmarks count database operations). */
  monitorCommands?: boolean;
}

/** Creates every index idempotently: createIndex with the same name and spec is a no-op on a second start. */
export async function ensureIndexes(db: Db): Promise<void> {
  // Counters exist before any job runs: an upsert with $inc on a missing document is not atomic on every server
  // (mongo-java-server handed out the same value twice in 7 of 30 concurrent rounds); on an existing one it is.
  for (const counter of counterNames) {
    await withStoreErrors('create counter', () =>
      db.collection<{ _id: string; seq: number }>(collectionNames.counters).updateOne({ _id: counter }, { $setOnInsert: { seq: 0 } }, { upsert: true }),
    );
  }
  for (const spec of indexSpecs) {
    await withStoreErrors(`create index ${spec.collection}.${spec.name}`, () =>
      db.collection(spec.collection).createIndex(spec.key, { name: spec.name, ...(spec.unique ? { unique: true } : {}) }),
    );
  }
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  let embedded: EmbeddedServer | undefined;
  let uri = options.uri;
  let forget: (() => Promise<void>) | undefined;
  if (uri === undefined || uri === '') {
    if (!options.embedded) throw new Error('openStore: neither a uri nor embedded options were given');
    const running = await findRunningServer(options.embedded.dataDir);
    if (running) {
      uri = running;
    } else {
      embedded = await startEmbeddedServer({ ...options.embedded, onProgress: (line) => options.logger.info(line) });
      options.logger.debug(`embedded database (${embedded.kind}) listening at ${embedded.uri}`, { dataDir: embedded.dataDir });
      forget = await recordRunningServer(embedded.dataDir, embedded.uri, embedded.port);
      uri = embedded.uri;
    }
  }
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000,
    // FerretDB 1.24 does not implement retryable writes; our writes are idempotent by key instead.
    retryWrites: false,
    appName: 'mailroom',
    ...(options.monitorCommands ? { monitorCommands: true } : {}),
  });
  try {
    await withStoreErrors('connect to the database', () => client.connect());
    const db = client.db(options.dbName);
    await ensureIndexes(db);
    const origin = embedded?.kind ?? 'uri';
    const effectiveUri = uri;
    // One bucket per store: a new GridFSBucket checks and creates its indexes again before its first upload.
    const bucket = new GridFSBucket(db, { bucketName: filesBucketName });
    return {
      client,
      db,
      origin,
      uri: effectiveUri,
      collection: <T extends Document = Document>(name: CollectionName) => db.collection<T>(name),
      files: () => bucket,
      close: async () => {
        await client.close();
        await forget?.();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await client.close().catch(() => undefined);
    await forget?.();
    await embedded?.stop();
    throw error;
  }
}
