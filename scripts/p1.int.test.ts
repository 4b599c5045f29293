/**
 * `npm run -s p1 -- decode` on the whole real-world DSMR corpus, as a person or a script runs it:
 * one JSON object per telegram, the right verdict for every file and stream.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { corpusStream, dsmrIndex, splitAtSentinels, type DecodedJson } from '../test/support/dsmr-testdata.js';
import { expectVerdict } from '../test/support/dsmr-verdicts.js';

describe('p1 decode', () => {
  it('prints the right verdict for every telegram and stream of the corpus', () => {
    const entries = dsmrIndex();
    const dir = mkdtempSync(join(tmpdir(), 'sipster-p1-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'corpus.bin');
    writeFileSync(file, corpusStream(entries));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/p1.ts', 'decode', file], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const groups = splitAtSentinels(run.stdout.trim().split('\n').map((l) => JSON.parse(l) as DecodedJson));
    expect(groups).toHaveLength(entries.length);
    entries.forEach((entry, k) => expectVerdict(entry, groups[k]!));
  });

  it('reads stdin with `-`', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/p1.ts', 'decode', '-'], { input: corpusStream(dsmrIndex().slice(3, 4)), encoding: 'utf8' });
    expect(run.stdout.trim().split('\n').map((l) => JSON.parse(l).ok)).toEqual([true, true]);
  });
});
