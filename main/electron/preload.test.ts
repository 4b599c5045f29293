import { describe, expect, it, vi } from 'vitest';
import { CHANNEL, ENGINE_METHODS, EVENT_CHANNEL, type BridgedApi, type EngineEvent } from '../api/index.js';

// Electron's binary is absent here: the preload runs against recording stand-ins for contextBridge and ipcRenderer.
const exposed = new Map<string, unknown>();
const listeners = new Map<string, (event: unknown, value: EngineEvent) => void>();
const invoke = vi.fn(async (channel: string, ...args: unknown[]) => ({ ok: true, value: { channel, args } }));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => void exposed.set(key, value) },
  ipcRenderer: {
    invoke,
    on: (channel: string, l: (event: unknown, value: EngineEvent) => void) => void listeners.set(channel, l),
    removeListener: (channel: string) => void listeners.delete(channel),
  },
}));

describe('preload', () => {
  it('exposes the typed API and the event hook, and nothing else', async () => {
    await import('./preload.js');
    expect([...exposed.keys()].sort()).toEqual(['sipster', 'sipsterEvents']);
    const api = exposed.get('sipster') as BridgedApi;
    expect(Object.keys(api).sort()).toEqual([...ENGINE_METHODS].sort());
    expect(await api.topUp(5)).toEqual({ ok: true, value: { channel: CHANNEL('topUp'), args: [5] } });

    const seen: EngineEvent[] = [];
    const off = (exposed.get('sipsterEvents') as { subscribe(l: (e: EngineEvent) => void): () => void }).subscribe((e) => seen.push(e));
    listeners.get(EVENT_CHANNEL)!({}, { kind: 'token-paid', period: 3 });
    off();
    expect(seen).toEqual([{ kind: 'token-paid', period: 3 }]);
    expect(listeners.has(EVENT_CHANNEL)).toBe(false);
  });
});
