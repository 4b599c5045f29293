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
