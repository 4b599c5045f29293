/**
 * The meter emulator as its own process (`npm run meter`), as a household or a test runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MeterKeys } from '../../bridge/index.js';
import { meterKeysFromJson } from '../../bridge/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A day-long period in 8 s of real time, ~180 tokens (a unit of 0.02). */
export const FAST_PERIOD = ['--speed', '10800', '--period-hours', '24', '--unit', '0.02', '--start', '2026-01-05T00:00:00Z', '--household-seed', '7'];

export interface MeterProcess {
  keys: MeterKeys;
  seedFile: string;
  log: () => string;
  stop(): Promise<void>;
}

export async function startMeterProcess(port: string, seedFile: string, args: string[]): Promise<MeterProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'meter-follow/main.ts', '--port', port, '--seed-file', seedFile, ...args], {
    cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const pub = `${seedFile}.pub.json`;
  for (let i = 0; i < 300 && !log.includes('public keys in'); i++) {
    if (child.exitCode !== null) throw new Error(`meter exited: ${log}`);
    await sleep(50);
  }
  if (!existsSync(pub)) throw new Error(`meter did not start: ${log}`);
  return {
    keys: meterKeysFromJson(JSON.parse(readFileSync(pub, 'utf8'))),
    seedFile,
    log: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
