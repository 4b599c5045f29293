import { describe, expect, it } from 'vitest';
import { proxyView } from './views.js';

describe('proxyView', () => {
  it('for the engine\'s own tor: anonymous, usable only once ready, and says how far tor is in plain words', () => {
    const managed = { kind: 'managed' } as const;
    expect(proxyView(managed, 'working', { state: 'bootstrapping', progress: 45, summary: 'Loading relay descriptors' })).toEqual({
      config: managed, state: 'untested', anonymous: true, reason: 'Tor is starting (45 %): nothing is sent until it is ready.',
      tor: { state: 'bootstrapping', progress: 45, summary: 'Loading relay descriptors' },
    });
    expect(proxyView(managed, 'untested', null)).toMatchObject({ state: 'untested', reason: 'Tor is starting: nothing is sent until it is ready.' });
    expect(proxyView(managed, 'working', { state: 'failed', progress: 0, summary: 'tor is not installed' }))
      .toMatchObject({ state: 'refused', reason: expect.stringContaining('tor is not installed') });
    expect(proxyView(managed, 'working', { state: 'ready', progress: 100, summary: null })).toMatchObject({ state: 'working', reason: null });
  });

  it('for a named proxy or none: no tor view', () => {
    expect(proxyView({ kind: 'socks', host: '127.0.0.1', port: 9050, label: 'system-tor' }, 'working')).toMatchObject({ anonymous: true, tor: null });
    expect(proxyView({ kind: 'socks', host: '127.0.0.1', port: 1, label: 'demo-hop' }, 'working')).toMatchObject({ anonymous: false, reason: expect.stringMatching(/not anonymous/) });
    expect(proxyView({ kind: 'none' }, 'working')).toMatchObject({ state: 'unconfigured', anonymous: false, tor: null });
  });
});
