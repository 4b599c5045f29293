/**
 * What the window needs from wherever the engine runs: the typed API (each call answers a Reply) and the event
 * stream. Electron's preload provides it over IPC (ipc.ts), the browser-mode host over a WebSocket (ws.ts).
 * @module
 */
import type { BridgedApi, EngineEvent } from '../../main/api/index.js';

export type Connection = 'connecting' | 'open' | 'lost';

export interface Transport {
  api: BridgedApi;
  onEvent(listener: (e: EngineEvent) => void): () => void;
  onConnection(listener: (c: Connection) => void): () => void;
  close(): void;
}

/**
 * The preload's event hook, exposed beside `window.sipster` (main/api has no type for it yet; main/electron/preload.ts
 * declares the same shape).
 */
export interface EventBridge {
  subscribe(listener: (e: EngineEvent) => void): () => void;
}

/**
 * The WebSocket wire of browser mode (main/host/browser/socket.ts speaks the same): a call `{id, method, args}`,
 * its answer `{id, reply}`, and pushed events `{event}`.
 */
export type WireCall = { id: number; method: keyof BridgedApi; args: unknown[] };
export type WireMessage = { id: number; reply: unknown } | { event: EngineEvent };
