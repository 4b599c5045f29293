import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { findChromium, findPgBin, MissingToolError } from './system-tools.js';

/** A fresh folder with executable scripts at the given relative paths (content: the script's body). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sipster-tools-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), `#!/bin/sh\n${body}\n`);
    chmodSync(join(root, path), 0o755);
  }
  return root;
}

const missing = (f: () => unknown, pkg: string) => {
  expect(f).toThrow(MissingToolError);
  expect(f).toThrow(new RegExp(`Debian package ${pkg}|CHROMIUM_PATH=|PG_BIN=`));
  try { f(); } catch (e) { expect((e as MissingToolError).pkg).toBe(pkg); }
};

describe('findPgBin', () => {
  it('takes PG_BIN when it has initdb, and refuses one that has not', () => {
    const root = tree({ 'pg/initdb': '' });
    expect(findPgBin({ env: { PG_BIN: join(root, 'pg'), PATH: '' }, postgresqlDir: join(root, 'none') })).toBe(join(root, 'pg'));
    missing(() => findPgBin({ env: { PG_BIN: root, PATH: '' } }), 'postgresql');
  });

  it('takes pg_config --bindir when that folder has initdb', () => {
    const root = tree({ 'server/initdb': '' });
    const bin = tree({ pg_config: `echo ${join(root, 'server')}` });
    expect(findPgBin({ env: { PATH: bin }, postgresqlDir: join(root, 'none') })).toBe(join(root, 'server'));
  });

  it('passes over a client-only pg_config (no initdb there) for the newest Debian version folder', () => {
    const root = tree({ 'lib/9.6/bin/initdb': '', 'lib/15/bin/initdb': '', 'lib/16/bin/initdb': '', 'lib/17/bin/psql': '' });
    const bin = tree({ pg_config: 'echo /usr/bin' });
    expect(findPgBin({ env: { PATH: bin }, postgresqlDir: join(root, 'lib') })).toBe(join(root, 'lib/16/bin'));
  });

  it('names the Debian package when there is none', () => {
    const root = tree({ 'lib/17/bin/psql': '', 'bin/pg_config': 'exit 1' });
    missing(() => findPgBin({ env: { PATH: join(root, 'bin') }, postgresqlDir: join(root, 'lib') }), 'postgresql');
    expect(() => findPgBin({ env: { PATH: '' }, postgresqlDir: join(root, 'nothing') })).toThrow(/install the Debian package postgresql/);
  });
});

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first, and refuses one that is not executable', () => {
    const root = tree({ 'my/chrome': '', 'bin/chromium': '' });
    expect(findChromium({ env: { CHROMIUM_PATH: join(root, 'my/chrome'), PATH: join(root, 'bin') } })).toBe(join(root, 'my/chrome'));
    missing(() => findChromium({ env: { CHROMIUM_PATH: join(root, 'my/nothing'), PATH: join(root, 'bin') } }), 'chromium');
  });

  it('looks on PATH for chromium, then chromium-browser, then google-chrome', () => {
    const root = tree({ 'a/google-chrome': '', 'b/chromium-browser': '', 'c/chromium': '' });
    const env = (...dirs: string[]) => ({ env: { PATH: dirs.map((d) => join(root, d)).join(':') } });
    expect(findChromium(env('a', 'b', 'c'))).toBe(join(root, 'c/chromium'));
    expect(findChromium(env('a', 'b'))).toBe(join(root, 'b/chromium-browser'));
    expect(findChromium(env('a'))).toBe(join(root, 'a/google-chrome'));
  });

  it('names the Debian package when there is none', () => {
    expect(() => findChromium({ env: { PATH: tree({ 'bin/firefox': '' }) } })).toThrow(/install the Debian package chromium, or set CHROMIUM_PATH/);
    missing(() => findChromium({ env: {} }), 'chromium');
  });
});
