/** The Electron transport: the preload exposes the BridgedApi as `window.sipster` and events as `window.sipsterEvents`. */
import type { BridgedApi, EventBridge } from '../../main/api/index.js';
import type { Connection, Transport } from './transport.js';

export interface PreloadGlobals {
  sipster?: BridgedApi;
  sipsterEvents?: EventBridge;
}

declare global {
  interface Window extends PreloadGlobals {}
}

/** Null when not running under the preload (then the window is in browser mode). */
export function ipcTransport(globals: PreloadGlobals): Transport | null {
  const { sipster, sipsterEvents } = globals;
  if (sipster === undefined || sipsterEvents === undefined) return null;
  return {
    api: sipster,
    onEvent: (listener) => sipsterEvents.subscribe(listener),
    // IPC lives as long as the window: it is open from the start and never lost.
    onConnection: (listener: (c: Connection) => void) => {
      listener('open');
      return () => {};
    },
    close: () => {},
  };
}
