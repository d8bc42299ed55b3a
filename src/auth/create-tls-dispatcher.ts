import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, type Dispatcher } from 'undici';
import { AppError } from '../core/index.ts';

/**
 * An HTTP dispatcher for one connection. A connection's own CA (the emulator's, a TLS-inspecting proxy's) is added
 * to the system roots for that connection's requests only: never NODE_EXTRA_CA_CERTS, never disabled checks.
 */
export function createTlsDispatcher(caFile: string | undefined): Dispatcher {
  if (caFile === undefined) return new Agent({ keepAliveTimeout: 10_000 });
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `the CA file ${caFile} cannot be read`, {
      cause: error,
      details: { caFile },
      hint: 'Point caFile at a PEM certificate file; for the emulator, start `mailroom emulator` first.',
    });
  }
  return new Agent({ keepAliveTimeout: 10_000, connect: { ca: [...rootCertificates, pem] } });
}
