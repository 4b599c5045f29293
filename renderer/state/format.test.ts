import { describe, expect, it } from 'vitest';
import { describeQueue, describeSettlement, explain, formatAgo, formatEnergy, formatFingerprint, formatMoney, formatPercent, formatPower, formatSpan, formatUnits, tokensCost } from './format.js';

describe('format', () => {
  it('switches to k-units at a thousand', () => {
    expect(formatPower(950)).toBe('950 W');
    expect(formatPower(1234)).toBe('1.23 kW');
    expect(formatEnergy(12_345)).toBe('12.35 kWh');
    expect(formatEnergy(0)).toBe('0 Wh');
  });

  it('says unit or units', () => {
    expect(formatUnits(1)).toBe('1 unit');
    expect(formatUnits(1200)).toBe('1,200 units');
    expect(formatPercent(1, 3)).toBe('33.3 %');
    expect(formatPercent(0, 0)).toBe('—');
  });

  it('never shows seconds', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(formatAgo('2026-01-01T11:59:30Z', now)).toBe('just now');
    expect(formatAgo('2026-01-01T11:15:00Z', now)).toBe('45 min ago');
    expect(formatAgo('2025-12-30T12:00:00Z', now)).toBe('2 d ago');
    expect(formatAgo(null, now)).toBe('never');
  });

  it('groups a fingerprint by four', () => {
    expect(formatFingerprint('ab12cd34ef')).toBe('AB12 CD34 EF');
    expect(formatFingerprint(null)).toBe('not yet contacted');
  });

  it('explains every blocker with something to do', () => {
    for (const code of ['proxy-refused', 'uc-unreachable', 'wallet-empty', 'meter-disconnected', 'mint-changed', 'dleq-invalid'] as const) {
      const a = explain(code);
      expect(a.problem.length).toBeGreaterThan(10);
      expect(a.action.length).toBeGreaterThan(10);
    }
    expect(explain('mint-changed').action).toMatch(/name the utility again in Settings/);
    expect(describeQueue({ scheduled: 0, paying: 0, alarms: 0, blockedBy: 'proxy-refused' })).toMatch(/Tor is not ready/);
    expect(describeQueue({ scheduled: 2, paying: 1, alarms: 0, blockedBy: null })).toBe('3 payments queued, sent at random times.');
    expect(describeQueue({ scheduled: 0, paying: 0, alarms: 0, blockedBy: null })).toMatch(/every token/);
  });

  it('says what a period is missing', () => {
    expect(describeSettlement({ kind: 'waiting', missingTokens: 1, missingReceipts: 3 })).toBe('Waiting: 1 token not received yet, 3 receipts missing');
    expect(describeSettlement({ kind: 'waiting', missingTokens: 0, missingReceipts: 0 })).toBe('Waiting for the bill');
    expect(describeSettlement({ kind: 'settled', at: '2026-01-01T00:00:00Z', answer: 'paid in full' })).toBe('Settled (the utility answered “paid in full”)');
  });

  it('prices tokens exactly, in the currency, and names a period by its dates', () => {
    const tariff = { currency: 'EUR', tokenValue: 0.1, perKWh: [0.22, 0.3], source: 'user' as const };
    expect(tokensCost(37, tariff)).toBe('€3.70');
    expect(formatMoney(0.004, 'EUR')).toBe('€0.0040');
    expect(formatMoney(2, 'XQQ')).toMatch(/^XQQ\s?2\.00$|^2\.00 XQQ$/);
    expect(formatSpan(null, null)).toBe('not started yet');
    expect(formatSpan('2026-01-05T00:00:00Z', null)).toMatch(/^since 5 Jan 2026/);
    expect(formatSpan('2026-01-05T00:00:00Z', '2026-02-04T00:00:00Z')).toMatch(/5 Jan 2026.* – 4 Feb 2026/);
    for (const code of ['tor-not-ready', 'uc-error', 'disk-full', 'database-locked'] as const) expect(explain(code).problem).not.toBe('');
  });
});
