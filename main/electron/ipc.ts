/**
 * The IPC relay (style.md §Typed IPC): one handler per ENGINE_METHODS entry on its own channel, each checking that
 * the sender is our window showing our own page, each answering the engine process's Reply<T> (engine-supervisor.ts).
 * Engine events go to the window on EVENT_CHANNEL. Electron is passed in (type-only import) so this runs in unit
 * tests without Electron's binary.
 * @module
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNEL, ENGINE_METHODS, EVENT_CHANNEL, type Reply } from '../api/index.js';
import type { EngineLink } from './engine-protocol.js';

/** The app's own origin: pages are served only from app://sipster/ (see app-protocol.ts). */
export const APP_ORIGIN = 'app://sipster';

export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, window: Pick<WebContents, 'id'>): boolean {
  const frame = event.senderFrame;
  if (frame === null || event.sender.id !== window.id || frame.parent !== null) return false;
  return frame.url.startsWith(`${APP_ORIGIN}/`);
}

export function relayIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, engine: EngineLink, window: WebContents): () => void {
  for (const m of ENGINE_METHODS)
    ipcMain.handle(CHANNEL(m), async (event, ...args: unknown[]): Promise<Reply<unknown>> => {
      if (!isTrustedSender(event, window)) return { ok: false, error: { code: 'bad-request', message: 'untrusted sender' } };
      return engine.call(m, args);
    });
  const off = engine.onEvent((e) => {
    if (!window.isDestroyed()) window.send(EVENT_CHANNEL, e);
  });
  return () => {
    off();
    for (const m of ENGINE_METHODS) ipcMain.removeHandler(CHANNEL(m));
  };
}
