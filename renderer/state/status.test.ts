import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../main/api/index.js';
import { pills, problems } from './status.js';

const status: EngineStatus = {
  version: '0.1.0', dataDir: '/d',
  proxy: { config: { kind: 'socks', host: '127.0.0.1', port: 9050, label: 'system-tor' }, state: 'working', anonymous: true, reason: null, tor: null },
  utility: { url: 'http://uc', state: 'reachable', fingerprint: null, pinnedAt: null, anonymitySets: [] },
  meter: { state: 'receiving', meter: 'm', lastTelegramAt: null, source: { kind: 'demo' }, refused: { tokens: 0, bills: 0 } },
  wallet: { mintUrl: 'http://mint', balance: 1, stock: 1, reserved: 0, spent: 0, backedUp: true, topUpAmounts: [100, 200, 500], waitingTopUp: null },
  queue: { scheduled: 0, paying: 0, alarms: 0, blockedBy: null },
  recovery: null,
  storage: { state: 'ok', reason: null },
};

describe('status line', () => {
  it('says all is well in words', () => {
    expect(pills(status)).toEqual([
      { label: 'Meter: receiving', tone: 'ok' }, { label: 'Tor: ready', tone: 'ok' }, { label: 'Utility: reachable', tone: 'ok' },
    ]);
  });

  it('says plainly when the proxy hides nothing, and flags the bad states', () => {
    const demo = { ...status, proxy: { ...status.proxy, anonymous: false } };
    expect(pills(demo)[1]).toEqual({ label: 'Proxy: working (not anonymous)', tone: 'warn' });
    const bad = { ...status, meter: { ...status.meter, state: 'disconnected' as const }, proxy: { ...status.proxy, state: 'refused' as const }, utility: { ...status.utility, state: 'key-changed' as const } };
    expect(pills(bad).map((p) => p.tone)).toEqual(['bad', 'bad', 'bad']);
    expect(pills(bad)[2]!.label).toBe('Utility: key changed!');
    expect(pills({ ...status, utility: { ...status.utility, state: 'mint-changed' } })[2]).toEqual({ label: 'Utility: mint changed!', tone: 'bad' });
  });

  it('shows tor starting, storage and recovery in words, with advice for the problems', () => {
    const starting = { ...status, proxy: { ...status.proxy, state: 'untested' as const, reason: 'Tor is starting (45 %)', tor: { state: 'bootstrapping' as const, progress: 45, summary: null } } };
    expect(pills(starting)[1]).toEqual({ label: 'Tor: starting (45 %)', tone: 'warn' });
    const full = { ...starting, storage: { state: 'disk-full' as const, reason: 'no space left' }, queue: { ...status.queue, blockedBy: 'uc-error' as const },
      recovery: { state: 'restoring' as const, proofs: 0, tokens: 0, receipts: 0, startedAt: 'a', finishedAt: null, message: null } };
    expect(pills(full).map((p) => p.label)).toEqual(['Meter: receiving', 'Tor: starting (45 %)', 'Utility: answers with errors', 'Storage: disk full', 'Wallet: restoring']);
    expect(problems(full).map((p) => p.code)).toEqual(['disk-full', 'tor-not-ready', 'uc-error']);
    expect(problems(status)).toEqual([]);
    expect(pills({ ...status, meter: { ...status.meter, state: 'waiting', source: { kind: 'none' } } })[0]).toEqual({ label: 'Meter: not chosen', tone: 'warn' });
  });
});
