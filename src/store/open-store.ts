import { GridFSBucket, MongoClient, type Collection, type Db, type Document, type MongoClientOptions } from 'mongodb';
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

/** The option names a connection string sets (case-insensitive, as the driver reads them). */
function uriOptionNames(uri: string): Set<string> {
  const query = uri.includes('?') ? uri.slice(uri.indexOf('?') + 1) : '';
  return new Set([...new URLSearchParams(query).keys()].map((key) => key.toLowerCase()));
}

/**
 * The URI reaches the driver as given (credentials, TLS and every other option in it): an option object would win
 * over the URI, so only what the URI leaves open is set here. Writes are journaled and acknowledged by a majority
 * unless the URI sets a write concern (`w`, `journal`, `wtimeoutMS`): a mail's post-actions follow its writes, so
 * an acknowledged write must survive a crash of the server.
 */
export function clientOptionsFor(uri: string, serverSelectionTimeoutMs: number): MongoClientOptions {
  const given = uriOptionNames(uri);
  const setsWriteConcern = ['w', 'journal', 'wtimeoutms'].some((name) => given.has(name));
  return {
    ...(given.has('serverselectiontimeoutms') ? {} : { serverSelectionTimeoutMS: serverSelectionTimeoutMs }),
    ...(given.has('appname') ? {} : { appName: 'mailroom' }),
    ...(setsWriteConcern ? {} : { writeConcern: { w: 'majority', journal: true } }),
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
    // The constructor only parses the connection string (its parser has error classes of its own): whatever it
    // throws says the string is not valid.
    await forget?.();
    throw new AppError('CONFIG_INVALID', `MONGODB_URI is not a valid MongoDB connection string: ${(error as Error).message}`, { cause: error, hint: 'See https://www.mongodb.com/docs/manual/reference/connection-string/' });
  }
  try {
    await withStoreErrors('connect to the database', async () => {
      try {
        await client.connect();
      } catch (error) {
        // A TLS file the URI names (tlsCAFile, tlsCertificateKeyFile) that cannot be read is bad configuration.
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES') {
          throw new AppError('CONFIG_INVALID', `MONGODB_URI names a file that cannot be read: ${(error as Error).message}`, { cause: error });
        }
        throw error;
      }
    });
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
