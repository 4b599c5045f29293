import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, spawnUc } from '../scripts/uc-fixture.js';

const run = promisify(execFile);
const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'uc/cli.ts', ...args], { cwd: new URL('..', import.meta.url).pathname })
    .then(({ stderr }) => ({ code: 0, stderr }), (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }));

let dir: string;
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'uc-cli-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run uc', () => {
  it('keygen writes the receipt key with mode 0600 and never overwrites it', async () => {
    const key = join(dir, 'keys', 'uc.key');
    expect(await cli('keygen', '--key', key)).toMatchObject({ code: 0 });
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const first = readFileSync(key, 'utf8');
    expect((await cli('keygen', '--key', key)).code).toBe(1);
    expect(readFileSync(key, 'utf8')).toBe(first);
  });

  it('refuses to start without a key, and says how to make one', async () => {
    const r = await cli('--key', join(dir, 'missing.key'), '--db', join(dir, 'uc.sqlite'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('keygen');
  });

  it('starts with a fresh admin token file (0600) that opens the admin API', async () => {
    const tokenFile = join(dir, 'admin.token');
    // An empty UC_ADMIN_TOKEN counts as unset: the token comes from the file.
    const tariff = { currency: 'EUR', tokenValue: 0.1, perKWh: [0.22, 0.3] };
    writeFileSync(join(dir, 'tariff.json'), JSON.stringify(tariff));
    const uc = await spawnUc(['--key', join(dir, 'keys', 'uc.key'), '--db', join(dir, 'uc.sqlite'), '--admin-token-file', tokenFile, '--tariff', join(dir, 'tariff.json')], { UC_ADMIN_TOKEN: '' });
    try {
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      const token = readFileSync(tokenFile, 'utf8').trim();
      expect((await call(uc.adminUrl, 'GET', '/admin/v1/periods', undefined, { authorization: `Bearer ${token}` })).status).toBe(200);
      expect((await call(uc.url, 'GET', '/v1/params')).body).toMatchObject({ version: 1, tariff }); // published for every household
    } finally {
      await uc.stop();
    }
  });

  it('refuses a tariff file that is not a tariff, and says what one looks like', async () => {
    writeFileSync(join(dir, 'bad-tariff.json'), JSON.stringify({ currency: 'euro', tokenValue: -1, perKWh: [] }));
    const r = await cli('--key', join(dir, 'keys', 'uc.key'), '--db', join(dir, 'uc.sqlite'), '--tariff', join(dir, 'bad-tariff.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"currency": "EUR"');
  });
});
