import type { CliDeps } from '../cli-deps.ts';

/** The part of the CLI's dependencies the rules commands use; a test can hand in just these. */
export type RulesCliDeps = Pick<CliDeps, 'stdout' | 'stderr' | 'cwd' | 'setExitCode'>;
