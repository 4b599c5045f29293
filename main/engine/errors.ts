/**
 * Errors from outside data and parts (style.md §Error types): one class, a code union, ES2022 `cause`.
 * Messages are for people and logs, so they never carry token bytes, an index, K, ρ, receipts or proof secrets.
 * @module
 */
import type { ApiErrorCode } from '../api/index.js';

export type EngineErrorCode =
  | 'proxy-refused'
  /** The proxy is the engine's own tor and it has not bootstrapped (or is restarting): nothing is sent. */
  | 'tor-not-ready'
  | 'uc-unreachable'
  | 'uc-rejected'
  | 'uc-error'
  | 'receipt-invalid'
  | 'coin-rejected'
  | 'uc-key-changed'
  /** The utility names another mint than the one pinned with its key: payments stop until the user decides. */
  | 'mint-changed'
  /** Two reads of /v1/params over independent circuits differ (receipt key, sets or mint): payments stop. */
  | 'params-inconsistent'
  /** A mint signature without a valid NUT-12 DLEQ proof: its outputs are not counted. */
  | 'dleq-invalid'
  | 'db-from-future'
  | 'wallet-empty'
  | 'mint-unreachable'
  /** A pasted token of another mint (or unit) than the pinned one: refused, its mint named. */
  | 'other-mint'
  /** A pasted token the mint already counts spent (received before, here or elsewhere) or being spent. */
  | 'token-spent'
  /** The mint could not pay the invoice, or refused the withdrawal (expired, already paid): nothing left the wallet. */
  | 'withdraw-failed'
  | 'state-conflict'
  | 'seed-already-shown'
  | 'bad-request'
  | 'not-found'
  | 'disk-full'
  | 'database-locked'
  /** The wallet's key is missing or wrong (vault/): nothing is opened, nothing is sent. */
  | 'wallet-locked';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
  /** A busy server's Retry-After: nothing of the kind is sent again before it has passed. */
  readonly retryAfterMs: number | undefined;
}

const API_CODE: Record<EngineErrorCode, ApiErrorCode> = {
  'proxy-refused': 'proxy-refused',
  'tor-not-ready': 'tor-not-ready',
  'uc-unreachable': 'uc-unreachable',
  'uc-rejected': 'bad-request',
  'uc-error': 'uc-error',
  'receipt-invalid': 'receipt-invalid',
  'coin-rejected': 'coin-rejected',
  'uc-key-changed': 'uc-key-changed',
  'mint-changed': 'mint-changed',
  'params-inconsistent': 'params-inconsistent',
  'dleq-invalid': 'dleq-invalid',
  'db-from-future': 'db-from-future',
  'wallet-empty': 'wallet-empty',
  'mint-unreachable': 'mint-unreachable',
  'other-mint': 'other-mint',
  'token-spent': 'token-spent',
  'withdraw-failed': 'withdraw-failed',
  'state-conflict': 'bad-request',
  'seed-already-shown': 'seed-already-shown',
  'bad-request': 'bad-request',
  'not-found': 'not-found',
  'disk-full': 'disk-full',
  'database-locked': 'database-locked',
  'wallet-locked': 'wallet-locked',
};

const DISK_FULL = 'the disk is full: free some space; nothing was lost, payments wait and resume by themselves';
const DB_LOCKED = 'the wallet database is locked by another program: close it; nothing was lost, payments wait and resume by themselves';

/**
 * The storage failure behind `e` (its cause chain included) as 'disk-full' (SQLITE_FULL: the disk or the file's
 * page limit; ENOSPC) or 'database-locked' (SQLITE_BUSY/LOCKED past the busy timeout), or null.
 */
export function storageError(e: unknown): EngineError | null {
  for (let c: unknown = e; c instanceof Error; c = c.cause) {
    if (c instanceof EngineError && (c.code === 'disk-full' || c.code === 'database-locked')) return c;
    const code = (c as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC') return new EngineError('disk-full', DISK_FULL, { cause: c });
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new EngineError('database-locked', DB_LOCKED, { cause: c });
  }
  return null;
}

/** At the API boundary errors become data; anything unexpected is 'internal' with no details. */
export function toApiError(e: unknown): { code: ApiErrorCode; message: string } {
  if (!(e instanceof EngineError)) e = storageError(e) ?? e;
  if (e instanceof EngineError) return { code: API_CODE[e.code], message: e.message };
  return { code: 'internal', message: 'internal error (see the engine log)' };
}

export const apiErrorCode = (code: EngineErrorCode): ApiErrorCode => API_CODE[code];
