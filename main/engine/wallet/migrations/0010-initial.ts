/**
 * 0010: the wallet's first schema. Tokens, receipts, e-cash proofs, payment attempts, bills, settlements and the
 * UC's pinned parameters. States are CHECK-constrained; the transitions between them live in ../tokens.ts and
 * ../coins.ts, one transaction each.
 * @module
 */
import type { Database } from 'better-sqlite3';

export const version = 10;

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

    CREATE TABLE proofs (
      id INTEGER PRIMARY KEY,
      keyset_id TEXT NOT NULL,
      amount INTEGER NOT NULL CHECK (amount > 0),
      secret TEXT NOT NULL UNIQUE,
      C TEXT NOT NULL,
      dleq TEXT,
      state TEXT NOT NULL DEFAULT 'unspent' CHECK (state IN ('unspent', 'reserved', 'spent')),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX proofs_spendable ON proofs (state, amount);

    -- One row per token T; the carousel re-emits tokens, so a known T is a duplicate, not a new unit.
    CREATE TABLE tokens (
      id INTEGER PRIMARY KEY,
      set_id INTEGER NOT NULL,
      period INTEGER NOT NULL,
      idx INTEGER NOT NULL,
      T BLOB NOT NULL,
      sig BLOB NOT NULL,
      state TEXT NOT NULL DEFAULT 'received'
        CHECK (state IN ('received', 'scheduled', 'paying', 'alarm', 'receipted', 'settled')),
      due_at TEXT,
      coin_id INTEGER UNIQUE REFERENCES proofs (id),
      alarm TEXT,
      received_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (set_id, period, T)
    ) STRICT;
    CREATE INDEX tokens_period ON tokens (period, idx);
    CREATE INDEX tokens_state ON tokens (state, due_at);

    CREATE TABLE receipts (
      token_id INTEGER PRIMARY KEY REFERENCES tokens (id),
      receipt BLOB NOT NULL,
      verified_at TEXT NOT NULL
    ) STRICT;

    -- Every attempt to pay a token, with the coin it carried: all attempts of one token carry the same coin.
    CREATE TABLE payments (
      id INTEGER PRIMARY KEY,
      token_id INTEGER NOT NULL REFERENCES tokens (id),
      coin_id INTEGER NOT NULL REFERENCES proofs (id),
      started_at TEXT NOT NULL,
      finished_at TEXT,
      outcome TEXT CHECK (outcome IN ('receipt', 'proxy-refused', 'uc-unreachable', 'uc-rejected', 'receipt-invalid'))
    ) STRICT;
    CREATE INDEX payments_token ON payments (token_id);

    CREATE TABLE bills (
      period INTEGER PRIMARY KEY,
      meter TEXT NOT NULL,
      fault INTEGER NOT NULL CHECK (fault IN (0, 1)),
      R BLOB NOT NULL,
      sig BLOB NOT NULL,
      mask BLOB NOT NULL,
      count INTEGER NOT NULL CHECK (count >= 0),
      received_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE settlements (
      period INTEGER PRIMARY KEY REFERENCES bills (period),
      combined BLOB NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('sent', 'settled', 'refused')),
      answer TEXT,
      sent_at TEXT NOT NULL,
      answered_at TEXT
    ) STRICT;

    CREATE TABLE utility (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      url TEXT NOT NULL,
      A1 BLOB NOT NULL,
      A2 BLOB NOT NULL,
      params TEXT NOT NULL,
      pinned_at TEXT NOT NULL
    ) STRICT;
  `);
}
