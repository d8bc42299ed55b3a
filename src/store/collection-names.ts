/** Every collection Mailroom writes. One list, so indexes, tests and a reset know them all. */
export const collectionNames = {
  tickets: 'tickets',
  ticketComments: 'ticket_comments',
  ticketEvents: 'ticket_events',
  objects: 'objects',
  counters: 'counters',
  mailLedger: 'mail_ledger',
  knownMessages: 'known_messages',
  deltaState: 'delta_state',
  /** Per mail job: when it first read its folder, the fixed point its backlog setting counts from. */
  mailBacklog: 'mail_backlog',
  jobRuns: 'job_runs',
  /** A run's per-item lines, in pages written as the run goes, so the run's own record stays small. */
  jobRunItems: 'job_run_items',
  jobOverrides: 'job_overrides',
  /** One document per job while a run of it goes on anywhere: the lease that keeps two runs of a job apart. */
  jobLocks: 'job_locks',
  outbox: 'outbox',
  /** Per address: its hard bounces and whether notifications to it are suppressed (src/notify). */
  notificationSuppressions: 'notification_suppressions',
  /** One document per alert condition the alerts job has seen, with its mail state. */
  alerts: 'alerts',
  tokenCache: 'token_cache',
  appointments: 'appointments',
  calendarEvents: 'calendar_events',
  calendarState: 'calendar_state',
  rooms: 'rooms',
  roomReservations: 'room_reservations',
  /** One Graph change-notification subscription per job that uses push. */
  pushSubscriptions: 'push_subscriptions',
  /** API tokens for machines: hashes only (the token is shown once). */
  apiTokens: 'api_tokens',
  /** Console sessions, keyed by the hash of the session cookie. */
  httpSessions: 'http_sessions',
  /** People's sign-ins in flight (state, PKCE verifier, nonce), until the callback or their expiry. */
  signInRequests: 'sign_in_requests',
  /** The outbound webhook queue: one document per (target, event), delivered at least once. */
  webhookDeliveries: 'webhook_deliveries',
  /** Per webhook target: up to which ticket event time deliveries were queued. */
  webhookState: 'webhook_state',
  /** GridFS's own files collection of the `files` bucket (ids derived from the content checksum, for de-duplication). */
  fileMetadata: 'files.files',
  /** GridFS's chunks collection of the `files` bucket. */
  fileChunks: 'files.chunks',
  /** Streamed files being written (put-file-stream.ts): what a writer that crashed left behind is found here. */
  fileUploads: 'files.uploads',
} as const;

export type CollectionName = (typeof collectionNames)[keyof typeof collectionNames];

/** GridFS bucket for raw MIME and attachments. */
export const filesBucketName = 'files';

/** Sequence counters in the counters collection (ticket numbers). */
export const counterNames = ['ticket'] as const;
