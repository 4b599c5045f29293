/**
 * The mint's keysets (NUT-01/02): one private key per power-of-two amount, an id derived from the public keys,
 * the unit and the input fee (keyset id v2), and the signing and checking done with them (NUT-00 BDHKE,
 * NUT-12 DLEQ): keys and ids from @cashu/cashu-ts's `createNewMintKeys`, the curve work on libsecp256k1
 * (`native-curve.ts`).
 *
 * Keys are derived from a 32-byte seed kept in the database, one child seed per (unit, input_fee_ppk,
 * max_order). Starting the mint with other parameters makes a new active keyset and leaves the old ones
 * inactive: their proofs are still accepted as inputs, but nothing new is signed with them (NUT-02).
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { createNewMintKeys } from '@cashu/cashu-ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { MintError } from './errors.js';
import { SecretKey, type PointBytes } from './native-curve.js';

export interface KeysetParams {
  unit: string;
  inputFeePpk: number;
  /** Amounts are 2^0 … 2^(maxOrder−1). */
  maxOrder: number;
}

/** NUT-00 BlindSignature with its NUT-12 DLEQ proof, as sent on the wire. */
export interface BlindSignatureJson {
  id: string;
  amount: number;
  C_: string;
  dleq: { e: string; s: string };
}

export class Keyset {
  /** amount → compressed public key hex (NUT-01). */
  readonly publicKeys: Readonly<Record<string, string>>;
  private readonly privateKeys: ReadonlyMap<number, Uint8Array>;
  private readonly secretKeys = new Map<number, SecretKey>();

  readonly id: string;

  constructor(
    readonly params: KeysetParams,
    readonly active: boolean,
    seed: Uint8Array,
  ) {
    const pair = createNewMintKeys(params.maxOrder as Parameters<typeof createNewMintKeys>[0], seed, {
      unit: params.unit,
      input_fee_ppk: params.inputFeePpk,
    });
    this.id = pair.keysetId;
    this.publicKeys = Object.fromEntries(Object.entries(pair.pubKeys).map(([a, k]) => [a, bytesToHex(k)]));
    this.privateKeys = new Map(Object.entries(pair.privKeys).map(([a, k]) => [Number(a), k]));
  }

  get unit(): string {
    return this.params.unit;
  }

  hasAmount(amount: number): boolean {
    return this.privateKeys.has(amount);
  }

  /** C_ = k·B_ with its NUT-12 DLEQ proof, k this amount's key (libsecp256k1, constant time: `SecretKey.sign`). */
  sign(amount: number, B_: PointBytes): BlindSignatureJson {
    const { C_, e, s } = this.secretKey(amount).sign(B_);
    return { id: this.id, amount, C_: bytesToHex(C_), dleq: { e: bytesToHex(e), s: bytesToHex(s) } };
  }

  /** C == k·Y for one proof of `amount` (Y = hash_to_curve(secret), given). */
  verify(amount: number, Y: PointBytes, C: PointBytes): boolean {
    return this.secretKey(amount).verify(Y, C);
  }

  private secretKey(amount: number): SecretKey {
    let key = this.secretKeys.get(amount);
    if (key === undefined) {
      key = new SecretKey(this.key(amount));
      this.secretKeys.set(amount, key);
    }
    return key;
  }

  private key(amount: number): Uint8Array {
    const k = this.privateKeys.get(amount);
    if (k === undefined) throw new MintError('bad-request', `amount ${amount} is not in keyset`);
    return k;
  }
}

interface KeysetRow {
  id: string;
  unit: string;
  input_fee_ppk: number;
  max_order: number;
  active: number;
}

/** All keysets of the mint, the one for `params` active. */
export class Keysets {
  private readonly byId: ReadonlyMap<string, Keyset>;
  readonly active: Keyset;

  constructor(db: Database, params: KeysetParams) {
    const seed = loadSeed(db);
    const current = new Keyset(params, true, childSeed(seed, params));
    db.transaction(() => {
      db.prepare('UPDATE keysets SET active = 0 WHERE id != ?').run(current.id);
      db.prepare(
        `INSERT INTO keysets (id, unit, input_fee_ppk, max_order, active, created_at) VALUES (?, ?, ?, ?, 1, ?)
         ON CONFLICT (id) DO UPDATE SET active = 1`,
      ).run(current.id, params.unit, params.inputFeePpk, params.maxOrder, Date.now());
    }).immediate();
    const rows = db.prepare('SELECT id, unit, input_fee_ppk, max_order, active FROM keysets').all() as KeysetRow[];
    this.byId = new Map(
      rows.map((r) => {
        if (r.id === current.id) return [r.id, current];
        const p = { unit: r.unit, inputFeePpk: r.input_fee_ppk, maxOrder: r.max_order };
        const old = new Keyset(p, false, childSeed(seed, p));
        if (old.id !== r.id) throw new Error(`keyset ${r.id} does not match the mint's seed`);
        return [r.id, old];
      }),
    );
    this.active = current;
  }

  all(): Keyset[] {
    return [...this.byId.values()];
  }

  /** The keyset `id`; MintError 12001 if the mint never had it. */
  get(id: string): Keyset {
    const k = this.byId.get(id);
    if (k === undefined) throw new MintError('keyset-unknown', 'keyset is not known');
    return k;
  }

  /** NUT-02: ceil(Σ input_fee_ppk / 1000) over the inputs' keysets. */
  fee(inputKeysetIds: readonly string[]): number {
    const ppk = inputKeysetIds.reduce((sum, id) => sum + this.get(id).params.inputFeePpk, 0);
    return Math.ceil(ppk / 1000);
  }
}

function loadSeed(db: Database): Uint8Array {
  db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('seed', ?)").run(randomBytes(32).toString('hex'));
  const row = db.prepare("SELECT value FROM meta WHERE key = 'seed'").get() as { value: string };
  return hexToBytes(row.value);
}

function childSeed(seed: Uint8Array, p: KeysetParams): Uint8Array {
  return sha256(new Uint8Array([...seed, ...utf8ToBytes(JSON.stringify([p.unit, p.inputFeePpk, p.maxOrder]))]));
}
