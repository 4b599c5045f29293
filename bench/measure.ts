/** Medians of repeated runs, one JSON shape for every benchmark (bench/*.json), and the machine it ran on. */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';

export interface Op { median_ms: number; n: number }

interface Runs { n: number; warmup?: number; per?: number }

/** Runs `fn` `n` times after `warmup` runs; `per` divides each run (per receipt in a batch). */
export function measure(fn: () => unknown, { n, warmup = Math.min(3, n), per = 1 }: Runs): Op {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    times.push((performance.now() - t) / per);
  }
  return medianOp(times);
}

/** measure() for work that answers through a promise (worker threads): each run awaited before the next. */
export async function measureAsync(fn: () => Promise<unknown>, { n, warmup = Math.min(3, n), per = 1 }: Runs): Promise<Op> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push((performance.now() - t) / per);
  }
  return medianOp(times);
}

function medianOp(times: number[]): Op {
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return { median_ms: Number(median.toPrecision(4)), n: times.length };
}

export function writeReport(file: string, ops: Record<string, Op>, extra: Record<string, unknown> = {}): void {
  const report = { ops, ...extra, node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, date: new Date().toISOString() };
  writeFileSync(new URL(`./${file}`, import.meta.url), JSON.stringify(report, null, 2) + '\n');
  const rows = Object.entries(ops).map(([name, op]) => `${name.padEnd(34)} ${op.median_ms.toFixed(4).padStart(12)} ms   (n=${op.n})`);
  console.log(`${file}\n${rows.join('\n')}`);
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
/** CPU time (ms, user + system) process `pid` has used so far, from /proc (Linux): another process's own share. */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
