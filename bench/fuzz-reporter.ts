/**
 * `npm run test:fuzz` → bench/fuzz.json: a vitest reporter, beside the default one, that records every fuzz test of
 * the run with its inputs (FUZZ_RUNS: each fuzz test hands it to fast-check as numRuns), its outcome and duration,
 * and the whole run's wall time and machine load. A run with fewer than 100,000 inputs per test (a quick check:
 * `FUZZ_RUNS=300 npx vitest run --project unit -t fuzz --reporter=./bench/fuzz-reporter.ts`) writes
 * bench/fuzz.quick.json instead, so it never overwrites the recorded figures.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { relative } from 'node:path';
import type { Reporter, TestModule, TestRunEndReason } from 'vitest/node';

const FULL = 100_000;

export default class FuzzReporter implements Reporter {
  private started = 0;
  private loadAtStart: number[] = [];

  onInit(): void {
    this.started = performance.now();
    this.loadAtStart = loadavg();
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>, reason: TestRunEndReason): void {
    const inputs = Number(process.env.FUZZ_RUNS);
    if (!Number.isInteger(inputs) || inputs <= 0) return; // not a fuzz campaign: nothing to record
    const tests = modules.flatMap((m) => [...m.children.allTests()].map((t) => ({
      file: relative(process.cwd(), m.moduleId),
      test: t.fullName,
      state: t.result().state,
      inputs,
      duration_s: Number(((t.diagnostic()?.duration ?? 0) / 1000).toFixed(1)),
    }))).filter((t) => t.state !== 'skipped');
    const report = {
      command: `FUZZ_RUNS=${inputs} vitest ${process.argv.slice(2).join(' ')}`,
      passed: reason === 'passed' && errors.length === 0 && tests.every((t) => t.state === 'passed'),
      tests: tests.length,
      inputs_total: tests.reduce((n, t) => n + t.inputs, 0),
      wall_s: Number(((performance.now() - this.started) / 1000).toFixed(1)),
      results: tests,
      load_avg_1m: { start: Number(this.loadAtStart[0]?.toFixed(2)), end: Number(loadavg()[0]?.toFixed(2)) },
      node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, date: new Date().toISOString(),
    };
    const file = inputs >= FULL ? 'fuzz.json' : 'fuzz.quick.json';
    writeFileSync(new URL(`./${file}`, import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  }
}
