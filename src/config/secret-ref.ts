import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../core/index.ts';

/** Where a secret lives. A secret value is never written in a config file itself. */
export type SecretRef = { env: string } | { file: string };

export interface SecretContext {
  env: Readonly<Record<string, string | undefined>>;
  /** Relative `file` references resolve against this folder (the config root). */
  baseDir: string;
}

/**
 * Reads a secret at the moment it is needed, so a rotated secret file is picked up without a restart
 * and the value never sits in the frozen config object that gets logged or shown.
 */
export function resolveSecret(ref: SecretRef, context: SecretContext, field: string): string {
  if ('env' in ref) {
    const value = context.env[ref.env];
    if (value === undefined || value === '') {
      throw new AppError('CONFIG_SECRET_MISSING', `${field}: environment variable ${ref.env} is not set`, {
        details: { field, env: ref.env },
        hint: `Set ${ref.env} to the secret value, or point ${field} at a file with {"file": "path"}.`,
      });
    }
    return value;
  }
  const path = resolve(context.baseDir, ref.file);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new AppError('CONFIG_SECRET_MISSING', `${field}: cannot read secret file ${path}`, {
      cause: error,
      details: { field, file: path },
      hint: 'Create the file with the secret as its only content, readable only by the service user.',
    });
  }
}

export function describeSecretRef(ref: SecretRef): string {
  return 'env' in ref ? `env:${ref.env}` : `file:${ref.file}`;
}
