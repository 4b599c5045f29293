/**
 * 0060: the meter's bill key bpk_ID a bill was checked with, kept beside the bill so a dispute's evidence
 * (docs/dispute.md) carries it. Bills stored before hold none (NULL), and neither does a bill read without meter
 * keys: their export cannot pass the bill-signature check.
 * @module
 */
import type { Database } from 'better-sqlite3';

export const version = 60;

export function up(db: Database): void {
  db.exec('ALTER TABLE bills ADD COLUMN bill_key BLOB;');
}
