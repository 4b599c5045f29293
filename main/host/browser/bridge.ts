/**
 * The engine's API over one WebSocket (browser mode): a call `{id, method, args}` is answered `{id, reply}` with a
 * Reply<T>; events are pushed as `{event}` (main/api EVENT_CHANNEL's WebSocket form; renderer/transport/ws.ts is
 * the other end). Only methods listed in ENGINE_METHODS can be called; the engine validates their arguments.
 * @module
 */
import type { WebSocket } from 'ws';
import type { WireMessage } from '../../api/index.js';
import { callEngine, type EngineHandle } from '../engine-call.js';

export type { EngineHandle };

/** Answers one wire message; never throws (bad input becomes a `bad-request` reply). */
export async function answer(engine: EngineHandle, text: string): Promise<Extract<WireMessage, { id: number }> | null> {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof msg !== 'object' || msg === null) return null;
  const { id, method, args } = msg as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return null;
  return { id, reply: await callEngine(engine, method, args) };
}

/** Serves one authenticated socket until it closes. */
export function serveSocket(ws: WebSocket, engine: EngineHandle): void {
  const send = (value: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(value));
  };
  const off = engine.onEvent((event) => send({ event } satisfies WireMessage));
  ws.on('message', (data, isBinary) => {
    if (isBinary) return void ws.close(1003, 'text only');
    void answer(engine, data.toString()).then((r) => (r === null ? ws.close(1007, 'bad message') : send(r)));
  });
  ws.on('close', off);
}
