/**
 * The window's passphrase prompt on the real engine (issue 14 §1): a wallet made under a passphrase, the browser
 * host started without its key (main/host/locked.ts), Debian's Chromium through browser mode. The prompt shows; a
 * wrong passphrase is refused in words; the right one starts the engine and the Home screen appears. A new wallet
 * asks twice and is made under the passphrase chosen. Checked by axe-core.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createEngine, type EngineOptions } from '../../main/engine/index.js';
import { lockedEngine } from '../../main/host/locked.js';
import { openApp, seriousViolations } from '../support/browser-session.js';

const PASSPHRASE = 'correct horse battery staple';

function folder(): EngineOptions {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-unlock-e2e-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return { dataDir: join(dir, 'home'), tickMs: 3_600_000 };
}

/** The browser host as `npm run app:browser` starts it without --passphrase-file. */
async function lockedApp(o: EngineOptions) {
  const held = lockedEngine(o.dataDir, (unlock) => createEngine({ ...o, unlock }));
  const app = await openApp(held);
  onTestFinished(async () => {
    await app.close();
    await held.close();
  });
  return { held, ...app };
}

describe('the passphrase prompt', () => {
  it('refuses a wrong passphrase in words, and the right one opens Home', async () => {
    const o = folder();
    const made = await createEngine({ ...o, unlock: { kind: 'passphrase', passphrase: PASSPHRASE } });
    await made.takeSeedPhrase();
    await made.confirmBackup(); // past onboarding: the window goes straight to Home once unlocked
    await made.close();

    const { page, shot, problems, held } = await lockedApp(o);
    await page.getByRole('heading', { name: 'Unlock your wallet' }).waitFor();
    const field = page.getByLabel('Passphrase', { exact: true });
    expect(await field.getAttribute('type')).toBe('password');
    expect(await field.getAttribute('autocomplete')).toBe('current-password');
    await field.fill('not my passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    const refused = page.getByRole('alert');
    await refused.getByText('the passphrase is wrong').waitFor();
    expect(await refused.innerText()).not.toContain('not my passphrase');
    expect(held.engine()).toBeNull();
    expect(await seriousViolations(page)).toEqual([]);
    await shot('unlock-wrong');

    await field.fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    expect(held.engine()).not.toBeNull();
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('asks a new wallet\'s passphrase twice and makes the wallet under it', async () => {
    const o = folder();
    const { page, shot, problems, held } = await lockedApp(o);
    await page.getByRole('heading', { name: 'Choose a passphrase for your new wallet' }).waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('The same passphrase again').fill(`${PASSPHRASE}!`);
    await page.getByRole('button', { name: 'Create the wallet' }).click();
    await page.getByRole('alert').getByText('The two passphrases differ').waitFor();
    expect(existsSync(join(o.dataDir, 'wallet.sqlite'))).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('unlock-new');

    await page.getByLabel('The same passphrase again').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create the wallet' }).click();
    await page.getByRole('button', { name: 'Create my wallet' }).waitFor(); // onboarding: the new wallet's phrase comes next
    expect(problems).toEqual([]);
    await held.close();

    // The wallet is the passphrase's: a wrong one does not open it, the chosen one does.
    await expect(createEngine({ ...o, unlock: { kind: 'passphrase', passphrase: 'another' } })).rejects.toMatchObject({ code: 'wallet-locked' });
    const again = await createEngine({ ...o, unlock: { kind: 'passphrase', passphrase: PASSPHRASE } });
    await again.close();
  });
});
