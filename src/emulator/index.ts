/**
 * The local Microsoft Graph + Entra ID emulator: the only public face of `src/emulator`.
 * Behaviour follows graph-behaviour.md (Microsoft's documented behaviour); usage in src/emulator/README.md.
 */
import type { EmulatorOptions, RunningEmulator } from './emulator-options.ts';
import { startEmulatorServer } from './start-emulator.ts';

export type { EmulatorOptions, RunningEmulator, ThrottleOptions } from './emulator-options.ts';
export type { TenantDefinition } from './tenant-definition.ts';
export { checkTenant, type TenantProblem } from './load-tenant.ts';

/** Starts the emulator (HTTPS on 127.0.0.1, URLs say `localhost`) and resolves once it listens and its state files are written. */
export function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulatorServer(options);
}
