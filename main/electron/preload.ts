/**
 * The preload (sandboxed, context-isolated): exposes the engine's typed API as `window.sipster` (a BridgedApi: every
 * call answers a Reply) and its events as `window.sipsterEvents`, and nothing else: no ipcRenderer, no Node.
 * Bundled to CommonJS at build time (sandboxed preloads cannot load ES modules).
 * @module
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNEL, ENGINE_METHODS, EVENT_CHANNEL, type BridgedApi, type EngineEvent, type EventBridge } from '../api/index.js';

const api = Object.fromEntries(ENGINE_METHODS.map((m) => [m, (...a: unknown[]) => ipcRenderer.invoke(CHANNEL(m), ...a)])) as BridgedApi;

const events: EventBridge = {
  subscribe(listener: (e: EngineEvent) => void): () => void {
    const relay = (_: IpcRendererEvent, e: EngineEvent) => listener(e);
    ipcRenderer.on(EVENT_CHANNEL, relay);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, relay);
  },
};

contextBridge.exposeInMainWorld('sipster', api);
contextBridge.exposeInMainWorld('sipsterEvents', events);
