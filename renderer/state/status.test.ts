import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../main/api/index.js';
import { pills } from './status.js';

const status: EngineStatus = {
  version: '0.1.0', dataDir: '/d',
  proxy: { config: { kind: 'socks', host: '127.0.0.1', port: 9050, label: 'system-tor' }, state: 'working', anonymous: true, reason: null },
  utility: { url: 'http://uc', state: 'reachable', fingerprint: null, pinnedAt: null },
  meter: { state: 'receiving', meter: 'm', lastTelegramAt: null },
  wallet: { mintUrl: 'http://mint', balance: 1, stock: 1, reserved: 0, spent: 0, backedUp: true },
  queue: { scheduled: 0, paying: 0, alarms: 0, blockedBy: null },
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
  });
});
