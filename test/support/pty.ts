/**
 * Real pty pairs from socat (`socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B`), the stand-in
 * for a USB serial cable. Stable link names let a test unplug (kill socat: both ends vanish) and replug
 * (start it again with the same names). A missing socat fails the test with a clear message.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function requireSocat(): void {
  if (spawnSync('socat', ['-V']).error) throw new Error('socat is not installed: this test needs it for a real pty pair (Debian: apt-get install socat)');
}

export interface PtyPair {
  /** The two ends (symlinks to /dev/pts/N). */
  a: string;
  b: string;
  /** Unplug: both ends vanish. */
  unplug(): Promise<void>;
  /** Replug: a new pair appears under the same names. */
  plug(): Promise<void>;
  close(): Promise<void>;
}

/** The pair lives in `dir` (created if needed; removed on close only when this function made it up). */
export async function ptyPair(dir?: string, names: [string, string] = ['a', 'b']): Promise<PtyPair> {
  requireSocat();
  const own = dir === undefined;
  const home = dir ?? mkdtempSync(join(tmpdir(), 'sipster-pty-'));
  mkdirSync(home, { recursive: true });
  const a = join(home, names[0]);
  const b = join(home, names[1]);
  let socat: ChildProcess | null = null;
  const plug = async () => {
    socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
    for (let i = 0; i < 200 && !(existsSync(a) && existsSync(b)); i++) await sleep(10);
    if (!existsSync(a) || !existsSync(b)) throw new Error('socat did not create the pty pair');
  };
  const unplug = async () => {
    const s = socat;
    socat = null;
    if (!s || s.exitCode !== null) return;
    const gone = new Promise((resolve) => s.once('exit', resolve));
    s.kill('SIGTERM');
    await gone;
    for (let i = 0; i < 200 && (existsSync(a) || existsSync(b)); i++) await sleep(10);
  };
  await plug();
  return {
    a, b, plug, unplug,
    async close() {
      await unplug();
      if (own) rmSync(home, { recursive: true, force: true });
    },
  };
}
