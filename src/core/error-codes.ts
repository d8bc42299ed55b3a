/**
 * The registry of stable error codes. A code is part of the public surface: the CLI maps it to an exit code,
 * job results store it, and users search for it. Add codes; never rename one.
 *
 * retry: what the caller should do.
 *  - permanent: the same input will fail again; fix config or data.
 *  - later: a passing fault (network, 5xx); try again on a later attempt.
 *  - throttled: the service asked us to slow down; wait for Retry-After.
 */
export type RetryClass = 'permanent' | 'later' | 'throttled';

interface CodeSpec {
  readonly retry: RetryClass;
  /** Process exit code when this error ends a CLI command. 2 = bad input/config, 1 = operation failed. */
  readonly exit: 1 | 2;
  readonly description: string;
}

export const errorCodes = {
  CONFIG_INVALID: { retry: 'permanent', exit: 2, description: 'A schedule, connection or rule file is invalid.' },
  CONFIG_SECRET_MISSING: { retry: 'permanent', exit: 2, description: 'A secret reference names an unset environment variable or a missing file.' },
  USAGE: { retry: 'permanent', exit: 2, description: 'A command was called with wrong arguments.' },
  STORE_UNAVAILABLE: { retry: 'later', exit: 1, description: 'The MongoDB server cannot be reached.' },
  STORE_DUPLICATE_KEY: { retry: 'permanent', exit: 1, description: 'A write broke a unique index.' },
  STORE_EMBEDDED_UNAVAILABLE: { retry: 'permanent', exit: 1, description: 'No embedded database server could be started.' },
  STORE_ERROR: { retry: 'later', exit: 1, description: 'The database answered with an error.' },
  AUTH_INVALID_SECRET: { retry: 'permanent', exit: 1, description: 'The client secret is wrong.' },
  AUTH_SECRET_EXPIRED: { retry: 'permanent', exit: 1, description: 'The client secret has expired.' },
  AUTH_INVALID_CERTIFICATE: { retry: 'permanent', exit: 1, description: 'The certificate credential was rejected.' },
  AUTH_UNKNOWN_APPLICATION: { retry: 'permanent', exit: 1, description: 'The client id is not registered in the tenant.' },
  AUTH_UNKNOWN_TENANT: { retry: 'permanent', exit: 1, description: 'The tenant does not exist.' },
  AUTH_CONSENT_MISSING: { retry: 'permanent', exit: 1, description: 'An administrator has not consented to the application.' },
  AUTH_INVALID_SCOPE: { retry: 'permanent', exit: 1, description: 'The requested scope is not valid.' },
  AUTH_SIGN_IN_REQUIRED: { retry: 'permanent', exit: 1, description: 'A delegated connection has no signed-in user.' },
  AUTH_FAILED: { retry: 'later', exit: 1, description: 'A token could not be acquired.' },
  AUTH_AUTHORITY_UNREACHABLE: { retry: 'later', exit: 1, description: 'The sign-in service (authority) cannot be reached.' },
  AUTH_TOKEN_CACHE_UNREADABLE: { retry: 'permanent', exit: 1, description: 'A stored delegated token cache cannot be decrypted (wrong MAILROOM_ENCRYPTION_KEY?).' },
  GRAPH_THROTTLED: { retry: 'throttled', exit: 1, description: 'Graph throttled the request (429).' },
  GRAPH_UNAVAILABLE: { retry: 'later', exit: 1, description: 'Graph answered 5xx or could not be reached.' },
  GRAPH_TIMEOUT: { retry: 'later', exit: 1, description: 'A Graph request took longer than the timeout.' },
  GRAPH_UNAUTHORIZED: { retry: 'permanent', exit: 1, description: 'Graph rejected the token (401).' },
  GRAPH_ACCESS_DENIED: { retry: 'permanent', exit: 1, description: 'The application may not access this resource (403).' },
  GRAPH_MAILBOX_NOT_ENABLED: { retry: 'permanent', exit: 1, description: 'The mailbox is not enabled for REST, or does not exist.' },
  GRAPH_NOT_FOUND: { retry: 'permanent', exit: 1, description: 'The Graph resource does not exist (404).' },
  GRAPH_FOLDER_NOT_FOUND: { retry: 'permanent', exit: 1, description: 'A mail folder path does not resolve.' },
  GRAPH_SYNC_STATE_GONE: { retry: 'permanent', exit: 1, description: 'A delta token expired; a full resync is needed.' },
  GRAPH_BAD_REQUEST: { retry: 'permanent', exit: 1, description: 'Graph rejected the request as malformed (400).' },
  GRAPH_ERROR: { retry: 'later', exit: 1, description: 'Graph answered with an unexpected error.' },
  GRAPH_MAILBOX_ACCESS_POLICY: { retry: 'permanent', exit: 1, description: 'An application access policy keeps the application out of this mailbox.' },
  GRAPH_MIME_CONVERSION_FAILED: { retry: 'permanent', exit: 1, description: 'Graph cannot convert a message to MIME (rights-protected or encrypted items); it is processed from its properties.' },
  MAIL_UNPARSEABLE: { retry: 'permanent', exit: 1, description: 'A message could not be parsed at all.' },
  MAIL_QUARANTINED_BY_RULE: { retry: 'permanent', exit: 1, description: 'A rule with the quarantine action set the mail aside (its reason is the message); replay it once a person has looked.' },
  MAIL_INTERRUPTED: { retry: 'later', exit: 1, description: 'A run stopped (killed, crashed, hung) while the mail was being processed.' },
  MAIL_POST_ACTION_FAILED: { retry: 'later', exit: 1, description: 'A mailbox post-action (mark, move) cannot be carried out for a mail.' },
  MAIL_NOT_QUARANTINED: { retry: 'permanent', exit: 2, description: 'A replay named a mail that is not quarantined.' },
  RULE_INVALID: { retry: 'permanent', exit: 2, description: 'A rule file does not compile.' },
  RULE_EVALUATION_FAILED: { retry: 'permanent', exit: 1, description: 'A rule expression failed on a message.' },
  RULE_TIMEOUT: { retry: 'permanent', exit: 1, description: 'A rule expression ran out of time or depth.' },
  RULE_EXPECTATION_FAILED: { retry: 'permanent', exit: 1, description: 'A dry run differs from its expected result.' },
  JOB_NOT_FOUND: { retry: 'permanent', exit: 2, description: 'No job has that name.' },
  JOB_RUN_NOT_FOUND: { retry: 'permanent', exit: 2, description: 'No job run has that id.' },
  JOB_ABORTED: { retry: 'later', exit: 1, description: 'A job run was stopped before it finished.' },
  JOB_BUSY: { retry: 'later', exit: 1, description: 'The job is running elsewhere (a worker or another `jobs run`); two runs of one job never overlap.' },
  TICKET_NOT_FOUND: { retry: 'permanent', exit: 2, description: 'No ticket has that number.' },
  NOTIFY_FAILED: { retry: 'later', exit: 1, description: 'A notification could not be sent.' },
  NOTIFY_RECIPIENT_SUPPRESSED: { retry: 'permanent', exit: 1, description: 'A notification was not sent: its address hard-bounced repeatedly and is suppressed until `mailroom notifications unsuppress` lifts it.' },
  NOTIFY_NOT_SUPPRESSED: { retry: 'permanent', exit: 2, description: 'An unsuppress named an address that is not suppressed.' },
  CALENDAR_INVALID_IMPORT: { retry: 'permanent', exit: 2, description: 'A calendar import file is invalid.' },
  CALENDAR_FULL_SYNC_TOO_SOON: { retry: 'later', exit: 1, description: 'A full room sync started less than 10 minutes ago.' },
  EMULATOR_START_FAILED: { retry: 'permanent', exit: 1, description: 'The Graph emulator could not start.' },
  EMULATOR_NOT_RUNNING: { retry: 'permanent', exit: 1, description: 'A connection to the emulator finds no state file of a running emulator.' },
  API_REQUEST_INVALID: { retry: 'permanent', exit: 2, description: 'An API request has an unknown field, a wrong type or a value out of range (400; details name the field by JSON pointer).' },
  API_UNAUTHORIZED: { retry: 'permanent', exit: 1, description: 'An API request carries no valid session or token, or a revoked or expired one (401).' },
  API_FORBIDDEN: { retry: 'permanent', exit: 1, description: 'The signed-in person or token may not do this (403; a reader writing, a scope missing).' },
  API_CSRF_INVALID: { retry: 'permanent', exit: 1, description: 'A state-changing browser request came without its CSRF token (403).' },
  API_NOT_FOUND: { retry: 'permanent', exit: 2, description: 'No API route, file or API token has that name or id (404).' },
  API_CONFLICT: { retry: 'permanent', exit: 1, description: 'The request conflicts with the resource\'s state (409).' },
  API_RATE_LIMITED: { retry: 'throttled', exit: 1, description: 'Too many sign-in attempts or failed token uses; wait for Retry-After (429).' },
  SIGN_IN_FAILED: { retry: 'permanent', exit: 1, description: 'A person\'s sign-in did not complete (state or PKCE check, or the code exchange failed).' },
  SIGN_IN_DENIED: { retry: 'permanent', exit: 1, description: 'A person signed in but has neither the app role Mailroom.Admin or Mailroom.Reader nor a place on the configured lists.' },
  HTTP_LISTEN_FAILED: { retry: 'permanent', exit: 1, description: 'The HTTP server could not listen (address in use, bad TLS files, or a non-loopback address without sign-in).' },
  WEBHOOK_DELIVERY_FAILED: { retry: 'later', exit: 1, description: 'A webhook target did not accept an event (non-2xx or unreachable); it is retried with backoff.' },
  INTERNAL: { retry: 'permanent', exit: 1, description: 'A bug: an unexpected error.' },
} as const satisfies Record<string, CodeSpec>;

export type ErrorCode = keyof typeof errorCodes;
