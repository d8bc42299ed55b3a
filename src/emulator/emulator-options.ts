import type { TenantDefinition } from './tenant-definition.ts';

export interface ThrottleOptions {
  /** Concurrent requests per application + mailbox (Exchange: 4). */
  concurrentPerMailbox?: number;
  /** Requests (Graph operations) per application + mailbox per window (Exchange: 10,000). */
  requestsPerWindow?: number;
  /** Window length in milliseconds (Exchange: 600,000). */
  windowMs?: number;
}

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Listening address; default 127.0.0.1. URLs always say `localhost`. */
  host?: string;
  /** Tenant file to load (and reload on `POST /_emulator/reset`). Default: fixtures/tenants/demo.json. */
  tenantFile?: string;
  /** A tenant given in memory instead of a file (seed paths then resolve against the working directory). */
  tenant?: TenantDefinition;
  /** Where the CA and server certificate are cached and state files written; default `<cwd>/.mailroom/emulator`. */
  stateDir?: string;
  /** Receives one structured line per request; absent = no request logging. */
  log?: (line: Record<string, unknown>) => void;
  throttle?: ThrottleOptions;
  /** Artificial processing time per Graph operation in ms (default 0), to make concurrency observable. */
  latencyMs?: number;
  /** Delta sync states kept per folder/calendar before older delta or next links answer 410 SyncStateNotFound (default 1000). */
  syncStatesPerFolder?: number;
  /** The `interval` the device-code endpoint tells clients to poll at, in seconds (Entra: 5; may be fractional). */
  deviceCodeIntervalSeconds?: number;
  /**
   * How long after a send its copy appears in Sent Items, in ms (default 0: at once). Exchange stores the copy only
   * once the mail has gone out (https://learn.microsoft.com/en-us/graph/outlook-immutable-id); clients must not
   * count on finding it right away. Changeable at run time with `PUT /_emulator/mail/settings`.
   */
  sentItemsDelayMs?: number;
}

export interface RunningEmulator {
  /** `https://localhost:PORT` (no trailing slash). */
  url: string;
  port: number;
  /** PEM file of the CA that signed the server certificate; clients must trust it explicitly. */
  caFile: string;
  caPem: string;
  tenantId: string;
  /** The tenant's first application (the demo app). */
  clientId: string;
  /** That application's first secret value. */
  clientSecret: string;
  tenant: TenantDefinition;
  close(): Promise<void>;
}
