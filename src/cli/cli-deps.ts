import type { Environment } from '../config/read-environment.ts';
import type { MailroomConfig } from '../config/load-config.ts';
import type { App } from '../app.ts';
import type { Logger } from '../log/index.ts';
import type { Store } from '../store/index.ts';

/** What a command gets from the composition root: output streams, the environment snapshot, config on demand. */
export interface CliDeps {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Environment;
  /** True when stdout is a terminal: progress bars and colours only then. */
  isTTY: boolean;
  loadConfig(): Promise<MailroomConfig>;
  /** A command's result when it is not a plain success (e.g. 1 when a connection test step failed). */
  setExitCode(code: number): void;
  /** The database (opened once per command, closed when the command ends). */
  openStore(): Promise<Store>;
  /**
   * Config + database + services, for commands that run jobs or read their results. `lasting`: a service (`start`,
   * `worker`) that owns the embedded database rather than lean on a short command's; it must be the first call.
   */
  openApp(options?: { lasting?: boolean }): Promise<App>;
  /** A logger writing to stderr, honouring LOG_LEVEL and LOG_FORMAT. */
  logger: Logger;
}
