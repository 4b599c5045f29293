import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { afterEach, describe, expect, it } from 'vitest';
import type { BridgedApi, EngineStatus, PeriodView } from '../../main/api/index.js';
import { setLanguage } from '../i18n/index.js';
import { initialState, type AppState } from '../state/store.js';
import { AppContext } from './context.js';
import { Settlement } from './settlement.js';
import { Wallet } from './wallet.js';

const status: EngineStatus = {
  version: '0.1.0',
  dataDir: '/home/x/.sipster',
  proxy: { config: { kind: 'managed' }, state: 'working', anonymous: true, reason: null, tor: null },
  utility: { url: 'https://uc.example', state: 'reachable', fingerprint: 'ab'.repeat(32), pinnedAt: '2026-01-01T00:00:00Z', anonymitySets: [] },
  meter: { state: 'receiving', meter: 'demo', lastTelegramAt: '2026-01-01T00:00:00Z', source: { kind: 'demo' }, refused: { tokens: 0, bills: 0 } },
  wallet: { mintUrl: 'https://mint.example', balance: 1200, stock: 3, reserved: 0, spent: 7, backedUp: false, topUpAmounts: [100, 500], waitingTopUp: null },
  queue: { scheduled: 0, paying: 0, alarms: 0, blockedBy: null },
  recovery: null,
  storage: { state: 'ok', reason: null },
};
const period: PeriodView = {
  period: 4, start: '2026-03-01T12:00:00Z', end: '2026-04-01T12:00:00Z', tokens: 37, paid: 37, queued: 0, alarms: 0,
  bill: { received: true, count: 37, fault: false }, settlement: { kind: 'settled', at: '2026-04-02T00:00:00Z', answer: 'paid in full' },
};
const state: AppState = { ...initialState, status, periods: [period], tariff: { currency: 'EUR', tokenValue: 0.1, perKWh: [0.3], source: 'user' } };

/** A screen rendered to HTML with the window's context; no engine call is made while rendering. */
const render = (view: () => preact.JSX.Element | null) =>
  renderToString(h(AppContext.Provider, { value: { api: {} as BridgedApi, state, dispatch: () => {}, chooseLanguage: () => {} } }, h(view, {})));

afterEach(() => setLanguage('en'));

describe('the screens in Dutch', () => {
  it('Wallet speaks Dutch, with Belgian numbers', () => {
    setLanguage('nl', 'nl-BE');
    const html = render(Wallet);
    expect(html).toContain('<h1>Portemonnee</h1>');
    expect(html).toContain('<strong>Uw herstelzin is niet bevestigd.</strong>');
    expect(html).toContain('1.200 eenheden');
    expect(html).toContain('Nog maar 3 betalingen in voorraad.');
    expect(html).toContain('Een ander bedrag');
    expect(html).toContain('500 eenheden');
    expect(html).not.toMatch(/>[^<]*\b(Balance|Top up|units|Spent)\b/); // no English left in the text
  });

  it('Settlement speaks Dutch, with the dates and the money of the locale', () => {
    setLanguage('nl', 'nl-BE');
    const html = render(Settlement);
    expect(html).toContain('<h1>Afrekening</h1>');
    expect(html).toContain('Periode 4');
    expect(html).toMatch(/€\s3,70 \(37 eenheden\)/);
    expect(html).toContain('1 mrt 2026');
    expect(html).toContain('Afgerekend (de energieleverancier antwoordde “paid in full”)');
    expect(html).toContain('aria-label="Het bewijsmateriaal van periode 4 exporteren"');
  });

  it('and the same screen in English by default', () => {
    const html = render(Wallet);
    expect(html).toContain('<h1>Wallet</h1>');
    expect(html).toContain('1,200 units');
  });
});
