/**
 * System programs the tests, benchmarks and the demo use, found rather than assumed: an explicit override first,
 * then the places a Debian (or other) machine has them. When none is found the error names the Debian package.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What a finder looks at: the environment (PATH and overrides) and, for PostgreSQL, Debian's versioned folder. */
export interface Search {
  env?: NodeJS.ProcessEnv;
  /** Where Debian puts one `<version>/bin` per installed PostgreSQL; default /usr/lib/postgresql. */
  postgresqlDir?: string;
}

/** A program needed here is missing; `pkg` is the Debian package that brings it. */
export class MissingToolError extends Error {
  constructor(readonly pkg: string, message: string) {
    super(message);
    this.name = 'MissingToolError';
  }
}

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The first executable `cmd` on PATH, or null. */
export function onPath(cmd: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, cmd))) return join(dir, cmd);
  }
  return null;
}

const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

/** Chromium: `CHROMIUM_PATH`, else the first of chromium, chromium-browser, google-chrome on PATH. */
export function findChromium({ env = process.env }: Search = {}): string {
  if (env.CHROMIUM_PATH) {
    if (executable(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH;
    throw new MissingToolError('chromium', `CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file`);
  }
  for (const name of CHROMIUM_NAMES) {
    const found = onPath(name, env);
    if (found) return found;
  }
  throw new MissingToolError('chromium',
    `Chromium not found (${CHROMIUM_NAMES.join(', ')} on PATH): install the Debian package chromium, or set CHROMIUM_PATH`);
}

const hasInitdb = (dir: string) => executable(join(dir, 'initdb'));

/**
 * PostgreSQL's server binaries (initdb, postgres): `PG_BIN`, else `pg_config --bindir` when that folder has initdb
 * (a client-only pg_config points at /usr/bin, which has none), else the newest /usr/lib/postgresql/<version>/bin.
 */
export function findPgBin({ env = process.env, postgresqlDir = '/usr/lib/postgresql' }: Search = {}): string {
  if (env.PG_BIN) {
    if (hasInitdb(env.PG_BIN)) return env.PG_BIN;
    throw new MissingToolError('postgresql', `PG_BIN=${env.PG_BIN} has no initdb`);
  }
  const pgConfig = onPath('pg_config', env);
  if (pgConfig) {
    try {
      const dir = execFileSync(pgConfig, ['--bindir'], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (hasInitdb(dir)) return dir;
    } catch { /* a broken pg_config: look in Debian's folder */ }
  }
  let versions: string[] = [];
  try { versions = readdirSync(postgresqlDir); } catch { /* none installed */ }
  const newest = versions.filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a))
    .map((v) => join(postgresqlDir, v, 'bin')).find(hasInitdb);
  if (newest) return newest;
  throw new MissingToolError('postgresql',
    `PostgreSQL server binaries (initdb) not found via pg_config or in ${postgresqlDir}/*/bin: install the Debian package postgresql, or set PG_BIN`);
}
