import { describe, expect, it } from 'vitest';
import type { BridgedApi, EngineEvent } from '../../main/api/index.js';
import { ipcTransport } from './ipc.js';

describe('Electron transport', () => {
  it('is absent outside the preload (then the window uses browser mode)', () => {
    expect(ipcTransport({})).toBeNull();
    expect(ipcTransport({ sipster: {} as BridgedApi })).toBeNull();
  });

  it('uses the preload API as is and relays its events', () => {
    const api = {} as BridgedApi;
    let relay: ((e: EngineEvent) => void) | null = null;
    const t = ipcTransport({ sipster: api, sipsterEvents: { subscribe: (l) => ((relay = l), () => (relay = null)) } })!;
    expect(t.api).toBe(api);
    const seen: string[] = [];
    const off = t.onEvent((e) => seen.push(e.kind));
    relay!({ kind: 'bill-received', period: 1 });
    off();
    expect(seen).toEqual(['bill-received']);
    expect(relay).toBeNull();
    const states: string[] = [];
    t.onConnection((c) => states.push(c));
    expect(states).toEqual(['open']);
  });
});
