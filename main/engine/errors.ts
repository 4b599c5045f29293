/**
 * Errors from outside data and parts (style.md §Error types): one class, a code union, ES2022 `cause`.
 * Messages are for people and logs, so they never carry token bytes, an index, K, ρ, receipts or proof secrets.
 * @module
 */
import type { ApiErrorCode } from '../api/index.js';

export type EngineErrorCode =
  | 'proxy-refused'
  | 'uc-unreachable'
  | 'uc-rejected'
  | 'receipt-invalid'
  | 'coin-rejected'
  | 'uc-key-changed'
  | 'db-from-future'
  | 'wallet-empty'
  | 'mint-unreachable'
  | 'state-conflict'
  | 'seed-already-shown'
  | 'bad-request'
  | 'not-found';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const API_CODE: Record<EngineErrorCode, ApiErrorCode> = {
  'proxy-refused': 'proxy-refused',
  'uc-unreachable': 'uc-unreachable',
  'uc-rejected': 'uc-unreachable',
  'receipt-invalid': 'receipt-invalid',
  'coin-rejected': 'coin-rejected',
  'uc-key-changed': 'uc-key-changed',
  'db-from-future': 'db-from-future',
  'wallet-empty': 'wallet-empty',
  'mint-unreachable': 'mint-unreachable',
  'state-conflict': 'bad-request',
  'seed-already-shown': 'seed-already-shown',
  'bad-request': 'bad-request',
  'not-found': 'not-found',
};

/** At the API boundary errors become data; anything unexpected is 'internal' with no details. */
export function toApiError(e: unknown): { code: ApiErrorCode; message: string } {
  if (e instanceof EngineError) return { code: API_CODE[e.code], message: e.message };
  return { code: 'internal', message: 'internal error (see the engine log)' };
}

export const apiErrorCode = (code: EngineErrorCode): ApiErrorCode => API_CODE[code];
