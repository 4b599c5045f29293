/**
 * The engine's API over one WebSocket (browser mode): a call `{id, method, args}` is answered `{id, reply}` with a
 * Reply<T>; events are pushed as `{event}` (main/api EVENT_CHANNEL's WebSocket form; renderer/transport/ws.ts is
 * the other end). Only methods listed in ENGINE_METHODS can be called; the engine validates their arguments.
 * @module
 */
import type { WebSocket } from 'ws';
import { ENGINE_METHODS, type ApiErrorCode, type EngineApi, type EngineEvent, type Reply } from '../../api/index.js';

export interface EngineHandle {
  api: EngineApi;
  /** Subscribes to the engine's events; returns the unsubscribe. */
  onEvent(listener: (e: EngineEvent) => void): () => void;
  /** The engine's own mapping from a thrown error to API data (no internals for unexpected errors). */
  toApiError(e: unknown): { code: ApiErrorCode; message: string };
}

const METHODS: ReadonlySet<string> = new Set(ENGINE_METHODS);
/** No engine method takes more than one argument; a little slack, no more. */
const MAX_ARGS = 4;

const badRequest = (message: string): Reply<never> => ({ ok: false, error: { code: 'bad-request', message } });

/** Answers one wire message; never throws (bad input becomes a `bad-request` reply). */
export async function answer(engine: EngineHandle, text: string): Promise<{ id: number; reply: Reply<unknown> } | null> {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof msg !== 'object' || msg === null) return null;
  const { id, method, args } = msg as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return null;
  if (typeof method !== 'string' || !METHODS.has(method)) return { id, reply: badRequest('unknown method') };
  if (!Array.isArray(args) || args.length > MAX_ARGS) return { id, reply: badRequest('arguments must be a short array') };
  try {
    const call = engine.api[method as keyof EngineApi] as (...a: unknown[]) => Promise<unknown>;
    return { id, reply: { ok: true, value: await call.apply(engine.api, args) } };
  } catch (e) {
    return { id, reply: { ok: false, error: engine.toApiError(e) } };
  }
}

/** Serves one authenticated socket until it closes. */
export function serveSocket(ws: WebSocket, engine: EngineHandle): void {
  const send = (value: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(value));
  };
  const off = engine.onEvent((event) => send({ event }));
  ws.on('message', (data, isBinary) => {
    if (isBinary) return void ws.close(1003, 'text only');
    void answer(engine, data.toString()).then((r) => (r === null ? ws.close(1007, 'bad message') : send(r)));
  });
  ws.on('close', off);
}
