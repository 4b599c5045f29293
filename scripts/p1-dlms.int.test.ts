/**
 * `npm run -s p1 -- decode --key …` on every vector of testdata/dsmr/encrypted, as a person runs it: the
 * framing found by itself, one JSON line per telegram, `"ok": false` with the reason for a frame that does
 * not open, and no key ever printed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { dlmsVectors, expectDlmsVerdict, frameBytes, keyArgs } from '../test/support/dlms-vectors.js';
import type { DecodedJson } from '../test/support/dsmr-testdata.js';

const p1 = (args: string[], input?: Uint8Array, env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/p1.ts', 'decode', ...args], { encoding: 'utf8', env, ...(input ? { input } : {}) });
const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as DecodedJson);

describe('p1 decode --key', () => {
  it('prints every vector\'s verdict, from wire bytes (--hex text for the wrapped ones), and never a key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipster-p1-dlms-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    for (const v of dlmsVectors()) {
      const hex = v.wrapper !== 'none';
      const file = join(dir, `${v.id}.${hex ? 'hex' : 'bin'}`);
      writeFileSync(file, hex ? v.frame_hex.replace(/(.{64})/g, '$1\n') : frameBytes(v));
      const run = p1([...keyArgs(v), ...(hex ? ['--hex'] : []), file]);
      expect(run.status, `${v.id}: ${run.stderr}`).toBe(0);
      expectDlmsVerdict(v, lines(run.stdout));
      for (const k of [v.key_hex, v.auth_key_hex].filter(Boolean)) expect(run.stdout + run.stderr, v.id).not.toContain(k);
    }
  }, 400_000); // eleven runs of the CLI, each starting tsx

  it('goes on after a frame that does not open, and takes the key from P1_KEY', () => {
    const v = dlmsVectors();
    const lux = v.find((x) => x.id === 'lux-smarty-nexxtlab-real-1')!;
    const flipped = v.find((x) => x.id === 'neg-lux-nexxtlab-ciphertext-bit-flip')!;
    const input = new Uint8Array([...frameBytes(flipped), ...frameBytes(lux), ...frameBytes(lux)]);
    const run = p1(['-'], input, { ...process.env, P1_KEY: lux.key_hex });
    expect(lines(run.stdout).map((r) => (r.ok ? 'ok' : r.error))).toEqual(['damaged', 'ok', 'replayed']);
  });

  it('refuses a malformed key without echoing it, and says what DLMS frames read without a key need', () => {
    const noe = dlmsVectors().find((x) => x.wrapper === 'mbus')!;
    const bad = p1(['--key', 'secret-not-hex-0123', '-'], frameBytes(noe));
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--key must be 32 hex digits');
    expect(bad.stderr).not.toContain('secret-not-hex');
    const none = p1(['-'], frameBytes(noe));
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('give its key with --key');
  });
});
