import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  caFile: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

const RENEW_BEFORE_MS = 7 * 24 * 3600_000;

/**
 * A private CA and a `localhost` server certificate signed by it, cached in `stateDir` and reused while valid,
 * so that a client which trusted the CA file once keeps working across restarts.
 */
export async function ensureTlsMaterial(stateDir: string, now: Date = new Date()): Promise<TlsMaterial> {
  await mkdir(stateDir, { recursive: true });
  const files = {
    caCert: path.join(stateDir, 'ca.pem'),
    caKey: path.join(stateDir, 'ca-key.pem'),
    cert: path.join(stateDir, 'localhost-cert.pem'),
    key: path.join(stateDir, 'localhost-key.pem'),
  };
  let ca = await readPair(files.caCert, files.caKey);
  if (ca === undefined || !isUsable(ca.cert, now)) {
    ca = await createCa(now);
    await writeAtomically(files.caKey, ca.key, 0o600);
    await writeAtomically(files.caCert, ca.cert, 0o644);
  }
  let server = await readPair(files.cert, files.key);
  if (server === undefined || !isUsable(server.cert, now) || !isIssuedBy(server.cert, ca.cert)) {
    server = await createServerCertificate(ca, now);
    await writeAtomically(files.key, server.key, 0o600);
    await writeAtomically(files.cert, server.cert, 0o644);
  }
  return { caFile: files.caCert, caPem: ca.cert, certPem: server.cert, keyPem: server.key };
}

interface Pair {
  cert: string;
  key: string;
}

async function readPair(certFile: string, keyFile: string): Promise<Pair | undefined> {
  try {
    return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
  } catch {
    return undefined;
  }
}

function isUsable(certPem: string, now: Date): boolean {
  try {
    const cert = new X509Certificate(certPem);
    return new Date(cert.validTo).getTime() - now.getTime() > RENEW_BEFORE_MS && new Date(cert.validFrom) <= now;
  } catch {
    return false;
  }
}

function isIssuedBy(certPem: string, caPem: string): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

async function createCa(now: Date): Promise<Pair> {
  const notAfterDate = new Date(now.getTime() + 5 * 365 * 24 * 3600_000);
  const result = await generate([{ name: 'commonName', value: 'Mailroom Graph Emulator CA' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 3600_000),
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: result.cert, key: result.private };
}

async function createServerCertificate(ca: Pair, now: Date): Promise<Pair> {
  const result = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 3600_000),
    notAfterDate: new Date(now.getTime() + 365 * 24 * 3600_000),
    ca: { key: ca.key, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  return { cert: result.cert, key: result.private };
}

/** Writes via a temporary file and rename, so a concurrent reader never sees half a PEM. */
export async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, content, { mode });
  await rename(temporary, file);
}
