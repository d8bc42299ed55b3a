import { readFileSync } from 'node:fs';
import { createSecureContext, rootCertificates } from 'node:tls';
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
  // One TLS context for all of the connection's sockets: given `ca` instead, every new socket parses the ~140 system
  // roots again (tens of milliseconds each).
  const secureContext = createSecureContext({ ca: [...rootCertificates, pem] });
  return new Agent({ keepAliveTimeout: 10_000, connect: { secureContext } });
}
