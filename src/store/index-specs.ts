import type { IndexDirection } from 'mongodb';
import { collectionNames as c, type CollectionName } from './collection-names.ts';

export interface IndexSpec {
  collection: CollectionName;
  key: Record<string, IndexDirection>;
  name: string;
  unique?: boolean;
}

/**
 * Plain and unique indexes: the kinds every server we run on keeps (MongoDB, and mongo-java-server, which also has
 * sparse ones but no partial, TTL or collation indexes). Unique indexes carry the idempotency keys that make every
 * job write safe to repeat.
 */
export const indexSpecs: readonly IndexSpec[] = [
  { collection: c.tickets, key: { number: 1 }, name: 'number_unique', unique: true },
  { collection: c.tickets, key: { createdFrom: 1 }, name: 'created_from_unique', unique: true },
  { collection: c.tickets, key: { updatedAt: -1 }, name: 'updated_at' },
  { collection: c.tickets, key: { dueAt: 1 }, name: 'due_at' },
  { collection: c.ticketComments, key: { key: 1 }, name: 'key_unique', unique: true },
  { collection: c.ticketComments, key: { ticketNumber: 1, createdAt: 1 }, name: 'ticket_created' },
  { collection: c.ticketEvents, key: { notifiedAt: 1, at: 1 }, name: 'notified_at' },
  { collection: c.ticketEvents, key: { ticketNumber: 1, at: 1 }, name: 'ticket_at' },
  { collection: c.objects, key: { key: 1 }, name: 'key_unique', unique: true },
  { collection: c.objects, key: { type: 1, createdAt: -1 }, name: 'type_created' },
  { collection: c.mailLedger, key: { job: 1, status: 1 }, name: 'job_status' },
  { collection: c.mailLedger, key: { mailbox: 1, internetMessageId: 1 }, name: 'mailbox_message_id' },
  // The indexes a GridFS upload stream would create on first use; putFiles writes the bucket without one.
  { collection: c.fileMetadata, key: { filename: 1, uploadDate: 1 }, name: 'filename_1_uploadDate_1' },
  { collection: c.fileChunks, key: { files_id: 1, n: 1 }, name: 'files_id_1_n_1', unique: true },
  // A streamed file's chunks are under the id its file document names here (put-file-stream.ts); the sweep asks.
  { collection: c.fileMetadata, key: { 'metadata.chunksId': 1 }, name: 'metadata_chunks_id' },
  { collection: c.fileUploads, key: { startedAt: 1 }, name: 'started_at' },
  { collection: c.knownMessages, key: { ticketNumber: 1 }, name: 'ticket' },
  { collection: c.jobRuns, key: { job: 1, startedAt: -1 }, name: 'job_started' },
  { collection: c.jobRuns, key: { startedAt: -1 }, name: 'started' },
  // /metrics reads the runs ended since its last scrape.
  { collection: c.jobRuns, key: { endedAt: -1 }, name: 'ended' },
  { collection: c.outbox, key: { status: 1, notBefore: 1 }, name: 'status_not_before' },
  { collection: c.outbox, key: { eventId: 1, rule: 1 }, name: 'event_rule' },
  { collection: c.outbox, key: { to: 1, createdAt: 1 }, name: 'to_created' },
  { collection: c.outbox, key: { createdAt: -1 }, name: 'created' },
  { collection: c.outbox, key: { internetMessageId: 1 }, name: 'internet_message_id' },
  { collection: c.notificationSuppressions, key: { suppressedAt: -1 }, name: 'suppressed_at' },
  { collection: c.appointments, key: { resource: 1 }, name: 'resource' },
  { collection: c.calendarEvents, key: { user: 1, start: 1 }, name: 'user_start' },
  { collection: c.roomReservations, key: { room: 1, start: 1 }, name: 'room_start' },
  { collection: c.pushSubscriptions, key: { subscriptionId: 1 }, name: 'subscription_id' },
  { collection: c.apiTokens, key: { hash: 1 }, name: 'hash_unique', unique: true },
  { collection: c.apiTokens, key: { activeName: 1 }, name: 'active_name_unique', unique: true },
  { collection: c.webhookDeliveries, key: { status: 1, nextAttemptAt: 1 }, name: 'status_next_attempt' },
];
