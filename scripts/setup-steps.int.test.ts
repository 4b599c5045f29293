// scripts/setup-steps.sh, as scripts/demo.sh and .ci/run use it: run by bash with the tools it calls, a stand-in
// `node` reporting a chosen version, and throwaway package.json / node_modules folders.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { onPath } from './system-tools.js';

const ROOT = resolve(import.meta.dirname, '..');

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-setup-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  return dir;
}

/** A PATH with only what setup-steps.sh calls, plus a `node` that reports `version` (none when null). */
function pathWithNode(dir: string, version: string | null): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const tool of ['sed', 'sort', 'head']) symlinkSync(onPath(tool)!, join(bin, tool));
  if (version) {
    writeFileSync(join(bin, 'node'), `#!/bin/sh\necho ${version}\n`);
    chmodSync(join(bin, 'node'), 0o755);
  }
  return bin;
}

const step = (dir: string, call: string, PATH = process.env.PATH) =>
  spawnSync('/bin/bash', ['--norc', '--noprofile', '-c', `. ${join(ROOT, 'scripts/setup-steps.sh')} && ${call}`], { cwd: dir, encoding: 'utf8', env: { PATH } });

describe('need_node (package.json engines: >=20.19)', () => {
  it('stops on Debian 12\'s Node 18 and on 20.9, saying what is needed', () => {
    for (const old of ['18.19.0', '20.9.0', '20.18.3']) {
      const dir = folder();
      const r = step(dir, 'need_node', pathWithNode(dir, old));
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`Node.js ${old} is too old: Sipster Home needs 20.19 or newer`);
      expect(r.stderr).toContain("Debian 12's own nodejs is 18");
    }
  });

  it('goes on with 20.19 and newer', () => {
    for (const ok of ['20.19.0', '20.20.2', '22.1.0', '100.0.0']) {
      const dir = folder();
      const r = step(dir, 'need_node && echo fine', pathWithNode(dir, ok));
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('fine\n');
    }
  });

  it('says so when there is no node at all', () => {
    const dir = folder();
    const r = step(dir, 'need_node', pathWithNode(dir, null));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Node.js 20.19 or newer is needed and none is installed/);
  });
});

describe('npm_packages_current', () => {
  it('is true only when node_modules holds every package of the lock at its version', () => {
    const dir = folder();
    const lock = (packages: Record<string, object>) => JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'x' }, ...packages } });
    writeFileSync(join(dir, 'package-lock.json'), lock({ 'node_modules/a': { version: '1.0.0' }, 'node_modules/@esbuild/darwin-arm64': { version: '0.28.2', optional: true } }));
    expect(step(dir, 'npm_packages_current').status).toBe(1); // no node_modules
    mkdirSync(join(dir, 'node_modules'));
    expect(step(dir, 'npm_packages_current').status).toBe(1); // never installed by npm
    const installed = (packages: Record<string, object>) => writeFileSync(join(dir, 'node_modules/.package-lock.json'), lock(packages));
    installed({ 'node_modules/a': { version: '1.0.0' }, 'node_modules/left-over': { version: '2.0.0' } }); // what npm ci leaves
    expect(step(dir, 'npm_packages_current').status).toBe(0); // another platform's optional package may be absent
    writeFileSync(join(dir, 'package-lock.json'), lock({ 'node_modules/a': { version: '1.1.0' } })); // a pull updated a
    expect(step(dir, 'npm_packages_current').status).toBe(1);
    writeFileSync(join(dir, 'package-lock.json'), lock({ 'node_modules/a': { version: '1.0.0' }, 'node_modules/b': { version: '1.0.0' } })); // added b
    expect(step(dir, 'npm_packages_current').status).toBe(1);
  });
});
