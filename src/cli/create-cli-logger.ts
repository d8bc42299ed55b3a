import type { Environment } from '../config/read-environment.ts';
import { createLogger, type Logger } from '../log/index.ts';

/** JSON lines when stderr is not a terminal or LOG_FORMAT=json; readable lines at a terminal. */
export function createCliLogger(env: Environment, stderrIsTTY: boolean): Logger {
  const format = env.LOG_FORMAT === 'json' || (!stderrIsTTY && env.LOG_FORMAT !== 'pretty') ? 'json' : 'pretty';
  return createLogger({ level: env.LOG_LEVEL ?? 'info', format });
}
