export { openStore, ensureIndexes, clientOptionsFor, type Store, type OpenStoreOptions } from './open-store.ts';
export { collectionNames, filesBucketName, type CollectionName } from './collection-names.ts';
export { mapMongoError, withStoreErrors } from './map-mongo-error.ts';
export { mailroomCacheDir } from './embedded/cache-dir.ts';
export { startEmbeddedServer, type EmbeddedServer } from './embedded/start-embedded-server.ts';
export { startTestDatabase, startDedicatedServer, type TestDatabase } from './start-test-database.ts';
export { insertOnce, insertManyOnce } from './insert-once.ts';
export { putFile, putFiles, readFileBytes, sha256Hex, type FileToStore, type StoredFileMeta } from './file-store.ts';
export { openFileStream } from './open-file-stream.ts';
