import { MongoError, MongoNetworkError, MongoServerError, MongoServerSelectionError, MongoNotConnectedError } from 'mongodb';
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

/** Runs a store operation and maps what it throws. */
export async function withStoreErrors<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw mapMongoError(error, operation);
  }
}
