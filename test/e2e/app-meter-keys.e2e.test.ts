/**
 * An encrypted meter's keys entered in the window (Settings, in a real Chromium against browser mode): the engine
 * receives the port with its framing and keys, a malformed key is refused in words, the fields are accessible,
 * and the keys are never shown back. The engine is test/support/browser-engine.ts; the real engine reads such
 * a meter in main/engine/meter-encryption.int.test.ts.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import type { MeterChoice } from '../../main/api/index.js';
import { fakeEngine } from '../support/browser-engine.js';
import { openApp, seriousViolations } from '../support/browser-session.js';

const GUEK = '36c66639e48a8ca4d6bc8b282a793bbb';

describe('the window: an encrypted meter', () => {
  it('sends the keys with the chosen port, refuses a bad one in words, and never shows them back', async () => {
    const engine = fakeEngine({ readings: 10, backedUp: true });
    const chosen: MeterChoice[] = [];
    const choose = engine.api.chooseMeter;
    engine.api.chooseMeter = (c) => (chosen.push(c), choose(c));
    const { page, problems, close } = await openApp(engine);
    onTestFinished(() => close());
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Settings & About', exact: true }).click();
    await page.getByRole('button', { name: 'Look again' }).click();
    await page.getByLabel(/\/dev\/ttyUSB0/).check();
    await page.getByLabel('My meter encrypts its data').check();
    await page.getByLabel('Kind of encrypted meter').selectOption('mbus');
    await page.getByLabel('Encryption key (GUEK, 32 hex digits)').fill('not-a-key');
    await page.getByRole('button', { name: 'Use this meter' }).click();
    await page.getByText('must be 32 hex digits').waitFor();
    await page.getByLabel('Encryption key (GUEK, 32 hex digits)').fill(GUEK);
    expect(await page.getByLabel('Encryption key (GUEK, 32 hex digits)').getAttribute('type')).toBe('password');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Use this meter' }).click();
    await page.getByText('data is arriving from the meter').waitFor();
    expect(chosen.at(-1)).toEqual({ kind: 'port', path: '/dev/ttyUSB0', line: 'dsmr4', dlms: { framing: 'mbus', key: GUEK } });
    expect(await page.content()).not.toContain(GUEK);
    expect(JSON.stringify(await engine.api.getStatus())).not.toContain(GUEK);
    expect(problems).toEqual([]);
  });
});
