/**
 * Directory-authority keys: tor-gencert's v3 identity and signing keys, and the relay identity tor makes itself
 * (`--list-fingerprint`). RSA-3072 takes 1–8 s each on a loaded machine, so the three run in parallel.
 * @module
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Authority } from './torrc.js';

const run = promisify(execFile);

/** Debian ships tor-gencert beside the real tor binary (/usr/sbin/tor is a link to /usr/bin/tor). */
const findGencert = (tor: string) => process.env.TOR_GENCERT ?? join(dirname(realpathSync(tor)), 'tor-gencert');

/** Makes one authority's keys in `dataDir` and returns how the others will name it. */
export async function makeAuthority(tor: string, dataDir: string, nickname: string, orPort: number, dirPort: number): Promise<Authority> {
  const keys = join(dataDir, 'keys');
  mkdirSync(keys, { recursive: true, mode: 0o700 });
  const gencert = findGencert(tor);
  const child = run(gencert, [
    '--create-identity-key', '--passphrase-fd', '0', '-m', '12', '-a', `127.0.0.1:${dirPort}`,
    '-i', join(keys, 'authority_identity_key'), '-s', join(keys, 'authority_signing_key'), '-c', join(keys, 'authority_certificate'),
  ], { timeout: 60_000 });
  // An empty passphrase. A tor-gencert that exits before reading it closes the pipe: its exit status says why, so
  // the write's EPIPE is not a second error (unhandled, it would end the process with a stack trace).
  child.child.stdin?.on('error', () => {});
  child.child.stdin?.end('\n');
  await child.catch((e: Error) => { throw new Error(`tor-gencert failed (is it installed beside tor?): ${e.message}`); });
  const empty = join(dataDir, 'torrc-defaults');
  writeFileSync(empty, '');
  await run(tor, ['--list-fingerprint', '--DataDirectory', dataDir, '--ORPort', '1', '-f', empty, '--defaults-torrc', empty], { timeout: 60_000 });
  const v3ident = /^fingerprint (\S+)/m.exec(readFileSync(join(keys, 'authority_certificate'), 'utf8'))?.[1];
  const fingerprint = readFileSync(join(dataDir, 'fingerprint'), 'utf8').trim().split(/\s+/)[1];
  if (!v3ident || !fingerprint) throw new Error(`no fingerprints in ${dataDir}`);
  return { nickname, orPort, dirPort, v3ident, fingerprint };
}
