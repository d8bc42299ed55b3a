import { MongoBulkWriteError, MongoError, MongoNetworkError, MongoServerError, MongoServerSelectionError, MongoNotConnectedError } from 'mongodb';
import { AppError } from '../core/index.ts';

const DUPLICATE_KEY = 11000;

/** Maps a driver error to our codes, by class and numeric code (never by message text). */
export function mapMongoError(error: unknown, operation: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) {
    return new AppError('STORE_DUPLICATE_KEY', `${operation}: a document with the same key already exists`, {
      cause: error,
      details: { keyValue: error.keyValue as unknown },
    });
  }
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError || error instanceof MongoNotConnectedError) {
    return new AppError('STORE_UNAVAILABLE', `${operation}: the database cannot be reached`, {
      cause: error,
      hint: 'Check that MongoDB is running and MONGODB_URI points at it.',
    });
  }
  if (error instanceof MongoError) {
    return new AppError('STORE_ERROR', `${operation}: ${error.message}`, { cause: error, details: { mongoCode: error.code } });
  }
  return new AppError('INTERNAL', `${operation}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** True when an unordered bulk insert failed only because some documents' keys exist already. */
export function isOnlyDuplicateKeys(error: unknown): error is MongoBulkWriteError {
  if (!(error instanceof MongoBulkWriteError)) return false;
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return writeErrors.every((e) => e.code === DUPLICATE_KEY);
}

/** Runs a store operation and maps what it throws. */
export async function withStoreErrors<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw mapMongoError(error, operation);
  }
}
