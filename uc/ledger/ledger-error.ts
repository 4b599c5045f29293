/** A ledger that cannot be used as it is (a schema from the future, a contradicting registration). */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  constructor(
    readonly code: 'db-from-future' | 'conflict' | 'unknown-set' | 'period-not-closed',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The database cannot be reached or is not (yet) the primary: a restart or a failover under way. Nothing about the
 * statement was wrong; the same request succeeds once the database is back (answered 503 with Retry-After).
 */
export class LedgerUnavailableError extends Error {
  override readonly name = 'LedgerUnavailableError';
  constructor(options?: { cause?: unknown }) {
    super('the ledger database is unavailable', options);
  }
}
