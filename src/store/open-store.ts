import { GridFSBucket, MongoClient, type Collection, type Db, type Document, type MongoClientOptions, MongoParseError } from 'mongodb';
import { AppError } from '../core/index.ts';
import type { Logger } from '../log/index.ts';
import { collectionNames, counterNames, filesBucketName, type CollectionName } from './collection-names.ts';
import { indexSpecs } from './index-specs.ts';
import { withStoreErrors } from './map-mongo-error.ts';
import { startEmbeddedServer, type EmbeddedKind, type EmbeddedServer } from './embedded/start-embedded-server.ts';
import { claimDataFolder } from './embedded/claim-data-folder.ts';

export interface Store {
  readonly client: MongoClient;
  readonly db: Db;
  /** Where the data lives: the user's server, the embedded server we started, or one another command started ('shared'). */
  readonly origin: 'uri' | EmbeddedKind | 'shared';
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
  embedded?: {
    dataDir: string;
    cacheDir: string;
    pathVariable: string | undefined;
    port?: number;
    /** A service (`start`, `worker`): it owns the folder's server rather than lean on a short command's. */
    lasting?: boolean;
    allowMongodDownload?: boolean;
    downloadMirror?: string | undefined;
  };
  /** How long to wait for an unreachable server before an operation fails (ms). */
  serverSelectionTimeoutMs?: number;
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

/**
 * The URI reaches the driver as given (credentials, TLS and every other option in it); only what it leaves open is
 * set here. Writes are journaled and acknowledged by a majority unless the URI says otherwise (`w`, `journal`):
 * a mail's post-actions follow its writes, so a write must survive a crash of the server once acknowledged.
 */
export function clientOptionsFor(uri: string, serverSelectionTimeoutMs: number): MongoClientOptions {
  // Constructing a client parses the URI without connecting: the way to learn whether it sets a write concern.
  const fromUri = new MongoClient(uri).options.writeConcern;
  return {
    serverSelectionTimeoutMS: serverSelectionTimeoutMs,
    appName: 'mailroom',
    ...(fromUri === undefined ? { writeConcern: { w: 'majority', journal: true } } : {}),
  };
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  let embedded: EmbeddedServer | undefined;
  let uri = options.uri;
  let forget: (() => Promise<void>) | undefined;
  if (uri === undefined || uri === '') {
    if (!options.embedded) throw new Error('openStore: neither a uri nor embedded options were given');
    const progress = (line: string): void => void options.logger.info(line);
    const claim = await claimDataFolder(options.embedded.dataDir, { lasting: options.embedded.lasting ?? false, onProgress: progress });
    if (claim.role === 'guest') {
      forget = claim.release;
      uri = claim.uri;
    } else {
      forget = () => claim.release(() => embedded?.stop() ?? Promise.resolve());
      try {
        embedded = await startEmbeddedServer({ ...options.embedded, onProgress: progress });
        await claim.ready(embedded);
      } catch (error) {
        await forget();
        throw error;
      }
      options.logger.debug(`embedded database (${embedded.kind}) listening at ${embedded.uri}`, { dataDir: embedded.dataDir });
      uri = embedded.uri;
    }
  }
  let client: MongoClient;
  try {
    client = new MongoClient(uri, clientOptionsFor(uri, options.serverSelectionTimeoutMs ?? 10_000));
  } catch (error) {
    await forget?.();
    if (error instanceof MongoParseError) {
      throw new AppError('CONFIG_INVALID', `MONGODB_URI is not a valid MongoDB connection string: ${error.message}`, { cause: error, hint: 'See https://www.mongodb.com/docs/manual/reference/connection-string/' });
    }
    throw error;
  }
  try {
    await withStoreErrors('connect to the database', () => client.connect());
    const db = client.db(options.dbName);
    await ensureIndexes(db);
    const origin = embedded?.kind ?? (options.uri ? 'uri' : 'shared');
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
        // An owner waits for the commands using its server, stops it, then gives the folder up.
        await forget?.();
      },
    };
  } catch (error) {
    await client.close().catch(() => undefined);
    await forget?.();
    throw error;
  }
}
