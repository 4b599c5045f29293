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
