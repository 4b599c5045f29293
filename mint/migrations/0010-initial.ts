import type { Database } from 'better-sqlite3';

/**
 * The mint's first schema. Double spending is stopped here: `spent_proofs.y` (Y = hash_to_curve(secret),
 * NUT-00) is the primary key, so a secret can be recorded once, and `promises.b_` stops signing the same
 * blinded message twice (NUT-03 code 11003). Both are written in the same transaction as the request's
 * signatures. `promises` also keeps every signature for NUT-09 restore.
 */
export function migrate0010(db: Database): void {
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    CREATE TABLE keysets (
      id TEXT PRIMARY KEY,
      unit TEXT NOT NULL,
      input_fee_ppk INTEGER NOT NULL,
      max_order INTEGER NOT NULL,
      active INTEGER NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE spent_proofs (
      y TEXT PRIMARY KEY,
      keyset_id TEXT NOT NULL,
      amount INTEGER NOT NULL,
      witness TEXT,
      state TEXT NOT NULL CHECK (state IN ('PENDING', 'SPENT')),
      melt_quote TEXT
    ) STRICT;
    CREATE INDEX spent_proofs_melt_quote ON spent_proofs (melt_quote) WHERE melt_quote IS NOT NULL;
    CREATE TABLE promises (
      b_ TEXT PRIMARY KEY,
      keyset_id TEXT NOT NULL,
      amount INTEGER NOT NULL,
      c_ TEXT NOT NULL,
      dleq_e TEXT NOT NULL,
      dleq_s TEXT NOT NULL
    ) STRICT;
    CREATE TABLE mint_quotes (
      id TEXT PRIMARY KEY,
      unit TEXT NOT NULL,
      amount INTEGER NOT NULL,
      request TEXT NOT NULL,
      payment_hash TEXT NOT NULL UNIQUE,
      state TEXT NOT NULL CHECK (state IN ('UNPAID', 'PAID', 'ISSUED')),
      expiry INTEGER NOT NULL,
      pubkey TEXT,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE melt_quotes (
      id TEXT PRIMARY KEY,
      unit TEXT NOT NULL,
      request TEXT NOT NULL,
      payment_hash TEXT NOT NULL,
      amount INTEGER NOT NULL,
      fee_reserve INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('UNPAID', 'PENDING', 'PAID')),
      expiry INTEGER NOT NULL,
      payment_preimage TEXT,
      change TEXT,
      created_at INTEGER NOT NULL
    ) STRICT;
  `);
}
