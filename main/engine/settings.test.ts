import { describe, expect, it } from 'vitest';
import type { ProxyConfig } from '../api/index.js';
import { readProxy, routeOf, writeProxy } from './settings.js';
import { openWalletDb } from './wallet/index.js';

describe('engine settings', () => {
  it('stores a valid proxy and refuses anything else from the window', () => {
    const db = openWalletDb(':memory:');
    expect(readProxy(db)).toEqual({ kind: 'none' });
    expect(routeOf(writeProxy(db, { kind: 'socks', host: '127.0.0.1', port: 9050, label: 'system-tor' }))).toEqual({ host: '127.0.0.1', port: 9050 });
    for (const bad of [{ kind: 'socks', host: '', port: 9050, label: 'custom' }, { kind: 'socks', host: 'h', port: 70000, label: 'custom' },
      { kind: 'socks', host: 'h', port: 9050, label: 'evil' }, { kind: 'direct' }])
      expect(() => writeProxy(db, bad as ProxyConfig)).toThrow(expect.objectContaining({ code: 'bad-request' }));
    expect(readProxy(db)).toMatchObject({ port: 9050 });
    // The engine's own tor: no host or port to give (extra fields from the window are dropped), and no fixed route.
    expect(writeProxy(db, { kind: 'managed', port: 1 } as ProxyConfig)).toEqual({ kind: 'managed' });
    expect(readProxy(db)).toEqual({ kind: 'managed' });
    expect(routeOf(readProxy(db))).toBeNull();
    db.close();
  });
});
