/**
 * A throwaway certificate authority and a server certificate for the two loopback hosts that play
 * Xiaomi's (127.0.0.2 for the account host, 127.0.0.3 for the open-API host), made with openssl
 * into `.tmp/` for one run and deleted after it. No key is ever committed or reused.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const accountHost = '127.0.0.2';
export const openApiHost = '127.0.0.3';

export type Certificates = {
  /** The CA's certificate, for NODE_EXTRA_CA_CERTS of the process that signs in. */
  caPath: string;
  /** The server's key and certificate, for the TLS front. */
  keyPath: string;
  certPath: string;
  remove: () => void;
};

const tmp = fileURLToPath(new URL('../../.tmp/', import.meta.url));

const openssl = (cwd: string, args: string[]) => {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
};

/** P-256 keys: TLS 1.3 with ECDSA, as cheap a handshake as a real server offers. */
const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export const makeCertificates = (): Certificates => {
  mkdirSync(tmp, { recursive: true });
  const dir = mkdtempSync(join(tmp, 'bench-network-'));
  openssl(dir, [
    ...['req', '-x509', ...newKey, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1'],
    ...['-subj', '/CN=connector-xiaomi bench CA (throwaway)'],
    ...['-addext', 'basicConstraints=critical,CA:TRUE'],
    ...['-addext', 'keyUsage=critical,keyCertSign'],
  ]);
  openssl(dir, [
    ...['req', ...newKey, '-keyout', 'server.key', '-out', 'server.csr'],
    ...['-subj', '/CN=xiaomi bench hosts'],
  ]);
  writeFileSync(
    join(dir, 'server.ext'),
    `subjectAltName=IP:${accountHost},IP:${openApiHost}\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(dir, [
    ...['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key'],
    ...['-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'server.ext'],
  ]);
  return {
    caPath: join(dir, 'ca.pem'),
    keyPath: join(dir, 'server.key'),
    certPath: join(dir, 'server.pem'),
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
