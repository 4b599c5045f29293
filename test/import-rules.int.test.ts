/**
 * The import rules of architecture.md are enforced by dependency-cruiser in `npm test`; this shows the checker
 * really fails on each kind of violation, on a planted tree in a temp dir with the project's own config.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'sipster-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clean: Record<string, string> = {
  'protocol/index.ts': "export * from './curve.js';\n",
  'protocol/curve.ts': "import { sha256 } from '@noble/hashes/sha2.js';\nexport const h = sha256;\n",
  'bridge/index.ts': "import { h } from '../protocol/index.js';\nimport { readFileSync } from 'node:fs';\nexport const x = [h, readFileSync];\n",
  'meter-emulator/index.ts': "import { h } from '../protocol/index.js';\nexport const m = h;\n",
  'main/api/index.ts': 'export interface WalletView { balance: number }\nexport const METHODS = [] as const;\n',
  'renderer/index.ts': "import type { WalletView } from '../main/api/index.js';\nexport const v: WalletView = { balance: 1 };\n",
  'uc/index.ts': "import { h } from '../protocol/index.js';\nexport const u = h;\n",
};

function cruise(files: Record<string, string>): { code: number; out: string } {
  const tree = mkdtempSync(join(dir, 'tree-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  }
  cpSync(join(root, '.dependency-cruiser.cjs'), join(tree, 'rules.cjs'));
  // node_modules is a symlink to the project's: keep its path, so package allow-lists match as in the project.
  writeFileSync(join(tree, '.dependency-cruiser.cjs'), "const c = require('./rules.cjs');\nmodule.exports = { ...c, options: { ...c.options, preserveSymlinks: true } };\n");
  cpSync(join(root, 'tsconfig.json'), join(tree, 'tsconfig.json'));
  symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'));
  const folders = [...new Set(Object.keys(files).map((p) => p.split('/')[0]!))];
  try {
    const out = execFileSync(join(root, 'node_modules/.bin/depcruise'), [...folders, '--config', '.dependency-cruiser.cjs'], { cwd: tree, encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, out };
  } catch (e) {
    const err = e as { status: number; stdout: string };
    return { code: err.status, out: err.stdout };
  }
}

describe('import rules (dependency-cruiser, .dependency-cruiser.cjs)', () => {
  it('pass on a clean tree of the layout', () => {
    const r = cruise(clean);
    expect(r.out).toContain('no dependency violations');
    expect(r.code).toBe(0);
  });

  it.each([
    ['protocol-imports', { 'protocol/curve.ts': "import { readFileSync } from 'node:fs';\nexport const h = readFileSync;\n" }],
    ['protocol-imports', { 'protocol/curve.ts': "import { m } from '../meter-emulator/index.js';\nexport const h = m;\n" }],
    ['renderer-sees-types-only', { 'renderer/index.ts': "import { METHODS } from '../main/api/index.js';\nexport const v = METHODS;\n" }],
    ['bridge-imports', { 'bridge/index.ts': "import { m } from '../meter-emulator/index.js';\nexport const x = m;\n" }],
    ['enter-through-index', { 'uc/index.ts': "import { h } from '../protocol/curve.js';\nexport const u = h;\n" }],
    ['no-circular', { 'protocol/curve.ts': "import * as i from './index.js';\nexport const h = i;\n" }],
  ])('fail on a planted %s violation', (rule, planted) => {
    const r = cruise({ ...clean, ...planted });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(rule);
  });
});
