/**
 * Migration 10: the UC's whole ledger (docs/http-api.md §What the UC stores).
 * No table has a household, an IP address, or a timestamp: paid tokens carry the set, the period, the canonical T
 * and the receipt, and while a payment is in flight a random claim id and its lease expiry (cleared once paid).
 * Paid tokens are keyed by period first; on PostgreSQL they are LIST-partitioned by period (one partition is
 * created when a period is opened), so a period past its dispute window is dropped as a whole.
 * @module
 */
import type { Migration } from './migration.js';

export const migration0010: Migration = {
  version: 10,
  name: 'initial',
  statements: (dialect) => {
    const blob = dialect === 'postgres' ? 'BYTEA' : 'BLOB';
    // SQLite: rows stored in key order (T and proof secrets are random), so not even the order of arrival survives.
    const noRowid = ' WITHOUT ROWID';
    return [
      `CREATE TABLE anonymity_sets (
         set_id BIGINT PRIMARY KEY,
         token_public_key ${blob} NOT NULL)`,
      `CREATE TABLE meters (
         meter_id TEXT PRIMARY KEY,
         bill_public_key ${blob} NOT NULL,
         set_id BIGINT NOT NULL REFERENCES anonymity_sets (set_id))`,
      `CREATE TABLE periods (
         period BIGINT PRIMARY KEY,
         state TEXT NOT NULL CHECK (state IN ('open', 'closed')))`,
      `CREATE TABLE paid_tokens (
         period BIGINT NOT NULL,
         set_id BIGINT NOT NULL,
         t ${blob} NOT NULL,
         state TEXT NOT NULL CHECK (state IN ('pending', 'paid')),
         receipt ${blob},
         claim TEXT,
         lease_until BIGINT,
         PRIMARY KEY (period, set_id, t))${dialect === 'postgres' ? ' PARTITION BY LIST (period)' : noRowid}`,
      `CREATE TABLE settlements (
         meter_id TEXT NOT NULL REFERENCES meters (meter_id),
         period BIGINT NOT NULL,
         fault INTEGER NOT NULL,
         PRIMARY KEY (meter_id, period))`,
      // Failed attempts are counted per reason (a fixed set of codes), so that no request can grow the table.
      `CREATE TABLE settlement_failures (
         period BIGINT NOT NULL,
         meter_id TEXT NOT NULL REFERENCES meters (meter_id),
         reason TEXT NOT NULL,
         attempts BIGINT NOT NULL,
         PRIMARY KEY (period, meter_id, reason))`,
      // The UC's own e-cash: proofs it received from the mint in exchange for the households' coins. They are the
      // UC's money, made with the UC's own random secrets, and carry no link to any token.
      `CREATE TABLE wallet_proofs (
         secret TEXT PRIMARY KEY,
         keyset_id TEXT NOT NULL,
         amount BIGINT NOT NULL,
         c TEXT NOT NULL)${dialect === 'postgres' ? '' : noRowid}`,
    ];
  },
};
