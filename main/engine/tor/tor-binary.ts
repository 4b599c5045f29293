/**
 * Which `tor` the engine runs. In an installed app, the one packed with it: electron-builder copies the Tor
 * Project's expert bundle for the platform (scripts/release/fetch-tor.ts) to `<resources>/tor/`, and Electron gives
 * every one of its processes, the engine's utility process included, `process.resourcesPath`. Elsewhere, tor from
 * PATH. `$TOR` overrides both.
 * @module
 */
import { accessSync, constants } from 'node:fs';
import { dirname, posix, win32 } from 'node:path';
import { TorError } from './errors.js';

/** What the choice depends on; `torBinary()` reads it from this process. */
export interface TorWhere {
  platform: NodeJS.Platform;
  /** `$TOR`. */
  env?: string;
  /** `process.resourcesPath`: set by Electron only. */
  resourcesPath?: string;
  /** `$PATH`. */
  path?: string;
}

const here = (): TorWhere => ({
  platform: process.platform,
  env: process.env.TOR,
  resourcesPath: (process as { resourcesPath?: string }).resourcesPath,
  path: process.env.PATH,
});

/** The binary packed in the app, under its resources (electron-builder.yml `extraResources` → `tor/`). */
export function bundledTor(w: Pick<TorWhere, 'platform' | 'resourcesPath'>): string | null {
  if (!w.resourcesPath) return null;
  const p = w.platform === 'win32' ? win32 : posix;
  return p.join(w.resourcesPath, 'tor', w.platform === 'win32' ? 'tor.exe' : 'tor');
}

/** Where to look, in order: `$TOR`, the app's own tor, PATH, then Debian's places (/usr/sbin is not on every PATH). */
export function torCandidates(w: TorWhere): string[] {
  const win = w.platform === 'win32';
  const p = win ? win32 : posix;
  const onPath = (w.path ?? '').split(win ? ';' : ':').filter(Boolean).map((d) => p.join(d, win ? 'tor.exe' : 'tor'));
  return [w.env, bundledTor(w), ...onPath, ...(win ? [] : ['/usr/sbin/tor', '/usr/bin/tor'])].filter((c): c is string => !!c);
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The tor binary to run: `explicit` when given, else the first candidate that can be run. */
export function findTor(explicit?: string, where: TorWhere = here(), canRun: (file: string) => boolean = executable): string {
  const found = (explicit ? [explicit] : torCandidates(where)).find(canRun);
  if (found) return found;
  throw new TorError('tor-missing', 'tor is not installed (Debian: apt-get install tor; then keep the system tor service off)');
}

/**
 * The environment to start `tor` with: the packed Linux tor loads the libraries shipped beside it (libevent,
 * OpenSSL), so their folder goes first on LD_LIBRARY_PATH; any other tor gets this process's environment unchanged.
 */
export function torEnv(tor: string, where: TorWhere = here(), env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (where.platform !== 'linux' || tor !== bundledTor(where)) return env;
  const dir = dirname(tor);
  return { ...env, LD_LIBRARY_PATH: env.LD_LIBRARY_PATH ? `${dir}:${env.LD_LIBRARY_PATH}` : dir };
}
