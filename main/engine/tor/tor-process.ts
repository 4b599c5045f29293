/**
 * One `tor` process with its own data directory and a control port on loopback: written torrc, spawned, its control
 * port found (ControlPortWriteToFile, so no port is guessed), authenticated with its cookie. Used by the engine's
 * supervisor and by the private test network (`scripts/tor-network/`).
 *
 * Never left behind: a tor owned by this process is killed when Node exits, and `__OwningControllerProcess` makes
 * tor itself exit if Node dies without running exit hooks (SIGKILL).
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TorControl } from './control-client.js';
import { TorError } from './errors.js';
import { findTor, torEnv } from './tor-binary.js';

export interface TorProcessOptions {
  /** The data directory (created with mode 700, as tor demands). */
  dataDir: string;
  /** torrc lines beyond the ones this module sets (DataDirectory, ControlPort, cookie, logs). */
  torrc: readonly string[];
  torPath?: string;
  /** Leave tor running after this process exits (the CLI's `start`); default false: tor dies with us. */
  detached?: boolean;
  /** Bound on "spawned → control port authenticated"; default 30 s. */
  startTimeoutMs?: number;
}

export interface TorProcess {
  pid: number;
  dataDir: string;
  controlPort: number;
  /** An authenticated control connection. */
  control: TorControl;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after 5 s; resolves once tor is gone. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHook = false;
function own(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => { for (const c of live) c.kill('SIGKILL'); });
}

export async function startTorProcess(o: TorProcessOptions): Promise<TorProcess> {
  const tor = findTor(o.torPath);
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  const portFile = join(o.dataDir, 'control-port');
  rmSync(portFile, { force: true });
  const torrcFile = join(o.dataDir, 'torrc');
  writeFileSync(torrcFile, [
    `DataDirectory ${o.dataDir}`,
    'ControlPort auto',
    `ControlPortWriteToFile ${portFile}`,
    'CookieAuthentication 1',
    `Log notice file ${join(o.dataDir, 'notice.log')}`,
    'RunAsDaemon 0',
    ...(o.detached ? [] : [`__OwningControllerProcess ${process.pid}`]),
    ...o.torrc,
  ].join('\n') + '\n', { mode: 0o600 });

  // No system defaults (/etc/tor): an empty defaults file (tor refuses /dev/null).
  const defaultsFile = join(o.dataDir, 'torrc-defaults');
  writeFileSync(defaultsFile, '', { mode: 0o600 });
  // tor makes its log files 0644 (less the umask): made here first, private; tor appends to them as they are.
  closeSync(openSync(join(o.dataDir, 'notice.log'), 'a', 0o600));
  const outFile = join(o.dataDir, 'stdout.log');
  const out = openSync(outFile, 'w', 0o600);
  const child = spawn(tor, ['-f', torrcFile, '--defaults-torrc', defaultsFile], {
    stdio: ['ignore', out, out], detached: o.detached ?? false, env: torEnv(tor),
  });
  closeSync(out);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(-1));
  });
  if (o.detached) child.unref();
  else own(child);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
  };

  try {
    const cookieFile = join(o.dataDir, 'control_auth_cookie');
    const controlPort = await waitForControlPort(portFile, cookieFile, exited, o.startTimeoutMs ?? 30_000, outFile);
    const control = await TorControl.connect(controlPort);
    await control.authenticate({ kind: 'cookie', cookieFile });
    return { pid: child.pid ?? -1, dataDir: o.dataDir, controlPort, control, exited, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The port from ControlPortWriteToFile, once the cookie (written just after it) is there too. */
async function waitForControlPort(file: string, cookieFile: string, exited: Promise<number | null>, timeoutMs: number, outFile: string): Promise<number> {
  let gone: number | null | undefined;
  void exited.then((c) => (gone = c));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone !== undefined) {
      const tail = (await readFile(outFile, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' | ');
      throw new TorError('tor-exited', `tor exited (${gone}) before its control port opened: ${tail}`);
    }
    const m = /PORT=[\d.]+:(\d+)/.exec(await readFile(file, 'utf8').catch(() => ''));
    const cookie = await stat(cookieFile).catch(() => null);
    if (m && cookie?.size === 32) return Number(m[1]);
    await sleep(100);
  }
  throw new TorError('timeout', `tor opened no control port in ${timeoutMs} ms`);
}
