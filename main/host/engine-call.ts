/**
 * One call into the engine from outside its process or page (a WebSocket message, a message from the Electron main
 * process): the method must be one of ENGINE_METHODS and the arguments a short array; the answer is always a Reply,
 * never a throw. The engine validates the arguments themselves.
 * @module
 */
import { ENGINE_METHODS, type ApiErrorCode, type EngineApi, type EngineEvent, type Reply } from '../api/index.js';

/** What a host needs from the engine (the CLI's, the browser host's and the Electron engine process's). */
export interface EngineHandle {
  api: EngineApi;
  /** Subscribes to the engine's events; returns the unsubscribe. */
  onEvent(listener: (e: EngineEvent) => void): () => void;
  /** The engine's own mapping from a thrown error to API data (no internals for unexpected errors). */
  toApiError(e: unknown): { code: ApiErrorCode; message: string };
}

const METHODS: ReadonlySet<unknown> = new Set(ENGINE_METHODS);
/** No engine method takes more than one argument; a little slack, no more. */
const MAX_ARGS = 4;

export const badRequest = (message: string): Reply<never> => ({ ok: false, error: { code: 'bad-request', message } });

export async function callEngine(engine: EngineHandle, method: unknown, args: unknown): Promise<Reply<unknown>> {
  if (!METHODS.has(method)) return badRequest('unknown method');
  if (!Array.isArray(args) || args.length > MAX_ARGS) return badRequest('arguments must be a short array');
  try {
    const call = engine.api[method as keyof EngineApi] as (...a: unknown[]) => Promise<unknown>;
    return { ok: true, value: await call.apply(engine.api, args) };
  } catch (e) {
    return { ok: false, error: engine.toApiError(e) };
  }
}
