/**
 * The fuses of a packed Sipster Home, read back from its binary with @electron/fuses (the library electron-builder
 * flips them with) and compared with electron-builder.yml's `electronFuses`: a release whose binary does not carry
 * the configured fuses fails its smoke test.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { ROOT } from '../support/browser-build.js';
import type { SmokeResult } from './smoke-checks.js';

/** electron-builder's `electronFuses` keys → @electron/fuses' wire positions (app-builder-lib generateFuseConfig). */
export const BUILDER_FUSES: Record<string, FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

/** The wire's bytes: '0' off, '1' on, 'r' removed from this Electron. */
const STATE: Record<number, string> = { 48: 'off', 49: 'on', 114: 'removed' };

/** electron-builder.yml's `electronFuses`. */
export function configuredFuses(file = join(ROOT, 'electron-builder.yml')): Record<string, boolean> {
  // js-yaml comes with electron-builder (app-builder-lib reads its config with it) and ships no types.
  const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
  const config = load(readFileSync(file, 'utf8')) as { electronFuses?: Record<string, boolean> };
  if (!config.electronFuses) throw new Error(`${file} sets no electronFuses`);
  return config.electronFuses;
}

/** One result per configured fuse: what the binary (a Linux/Windows executable or a macOS .app) holds. */
export async function checkFuses(app: string, want: Record<string, boolean> = configuredFuses()): Promise<SmokeResult[]> {
  const wire: Partial<Record<FuseV1Options, number>> = await getCurrentFuseWire(app);
  return Object.entries(want).map(([name, on]) => {
    const option = BUILDER_FUSES[name];
    if (option === undefined) return { check: `fuse ${name}`, ok: false, detail: 'not a fuse electron-builder knows' };
    const byte = wire[option];
    const got = byte === undefined ? 'absent' : (STATE[byte] ?? `byte ${byte}`);
    return { check: `fuse ${name}`, ok: got === (on ? 'on' : 'off'), detail: `${got} (configured ${on ? 'on' : 'off'})` };
  });
}
