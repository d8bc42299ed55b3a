import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isAppError } from '../core/index.ts';
import { checkPrivateKey } from './check-private-key.ts';
import type { ConfigProblem } from './config-problem.ts';
import type { ConnectionConfig } from './connection-config.ts';
import { resolveSecret, type SecretContext, type SecretRef } from './secret-ref.ts';

/**
 * Resolves every secret a connection names (variable set, file readable) and parses its key and certificate, so
 * `config validate` and `mailroom start` report them with the rest instead of the first job failing on its first
 * token. The values are read and dropped: nothing here is kept or logged. A `cloud: "emulator"` connection is
 * skipped: its secret file is written by the emulator when it starts, after configuration is checked.
 */
export function checkConnectionSecrets(connection: ConnectionConfig, context: SecretContext, at: { file: string; pointer: string }): ConfigProblem[] {
  if (connection.cloud === 'emulator') return [];
  const problems: ConfigProblem[] = [];
  const read = (ref: SecretRef, pointer: string): string | null => {
    try {
      return resolveSecret(ref, context, `connection ${connection.name}`);
    } catch (error) {
      if (!isAppError(error, 'CONFIG_SECRET_MISSING')) throw error;
      problems.push({ file: at.file, pointer, message: 'env' in ref ? `environment variable ${ref.env} is not set` : `cannot read secret file ${resolve(context.baseDir, ref.file)}` });
      return null;
    }
  };
  const credential = connection.credential;
  if ('clientSecret' in credential) {
    read(credential.clientSecret, `${at.pointer}/credential/clientSecret`);
    return problems;
  }
  const { privateKey, certificateFile } = credential.certificate;
  const keyPointer = `${at.pointer}/credential/certificate/privateKey`;
  const key = read(privateKey, keyPointer);
  const problem = key === null ? null : checkPrivateKey(key);
  if (problem !== null) {
    const source = 'env' in privateKey ? `environment variable ${privateKey.env}` : `key file ${resolve(context.baseDir, privateKey.file)}`;
    problems.push({ file: at.file, pointer: keyPointer, message: `${source} ${problem}` });
  }
  if (certificateFile !== undefined) {
    const path = resolve(context.baseDir, certificateFile);
    try {
      new X509Certificate(readFileSync(path));
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      problems.push({ file: at.file, pointer: `${at.pointer}/credential/certificate/certificateFile`, message: `certificate file ${path} ${missing ? 'does not exist' : 'is not a readable PEM certificate'}` });
    }
  }
  return problems;
}
