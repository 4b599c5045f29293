/**
 * A throwaway PostgreSQL for tests and benchmarks: initdb in a tmp dir, start on a free loopback port, stop and
 * remove. The server binaries are found by `findPgBin` (PG_BIN, `pg_config --bindir`, the newest
 * /usr/lib/postgresql/<version>/bin; `.ci/run` installs Debian's). initdb and postgres refuse to run as root, so
 * as root they run as the `postgres` user. Run directly (`tsx scripts/pg.ts`) it starts one and prints its URL
 * until Ctrl-C.
 * @module
 */
import { execFile, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findPgBin } from './system-tools.js';

const run = promisify(execFile);

export interface Postgres { url: string; stop(): Promise<void> }

/** A free TCP port on 127.0.0.1 (free when asked; the caller binds it soon after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function startPostgres(): Promise<Postgres> {
  const bin = findPgBin();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'sipster-pg-'));
  const data = join(dir, 'data');
  const owner = asRoot ? (await run('id', ['-u', 'postgres'])).stdout.trim() : undefined;
  if (owner) chownSync(dir, Number(owner), Number((await run('id', ['-g', 'postgres'])).stdout.trim()));
  const as = (cmd: string, args: string[]) => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]) as [string, string[]];

  await run(...as(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']));
  const port = await freePort();
  const server = spawn(...as(join(bin, 'postgres'), [
    '-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir,
    '-c', 'fsync=off', '-c', 'max_connections=200', '-c', 'shared_buffers=64MB',
  ]), { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-4000); });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  for (let i = 0; ; i++) {
    if (log.includes('ready to accept connections')) break;
    if (server.exitCode !== null || i > 300) {
      server.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`PostgreSQL did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  let stopped: Promise<void> | undefined;
  return {
    url,
    stop: () => (stopped ??= (async () => {
      // Signal the postmaster itself (runuser does not pass signals on); SIGINT is PostgreSQL's fast shutdown.
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      try { process.kill(pid, 'SIGINT'); } catch { server.kill('SIGINT'); }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    })()),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pg = await startPostgres();
  console.log(pg.url);
  process.once('SIGINT', () => void pg.stop().then(() => process.exit(0)));
}
