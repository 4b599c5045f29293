/**
 * The mint's books: spent secrets and issued signatures, in one SQLite file.
 *
 * Every operation verifies first (CPU only, see verify.ts) and then records in ONE immediate transaction: the
 * inputs' Y values go into `spent_proofs` (primary key: a Y is recorded once, by any number of concurrent
 * requests or processes) together with the outputs' signatures in `promises` (primary key B_). If either
 * insert meets an existing row, the transaction rolls back and no signature leaves the mint.
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';
import { MintError } from './errors.js';
import type { MintEvents, ProofState } from './events.js';
import type { BlindSignatureJson, Keysets } from './keysets.js';
import {
  outputsAmount,
  verifyInputs,
  verifyOutputs,
  type BlindedMessageJson,
  type Limits,
  type ProofJson,
  type VerifiedInputs,
  type VerifiedOutput,
} from './verify.js';

interface SpentRow {
  y: string;
  state: 'PENDING' | 'SPENT';
  witness: string | null;
}

interface PromiseRow {
  b_: string;
  keyset_id: string;
  amount: number;
  c_: string;
  dleq_e: string;
  dleq_s: string;
}

export class Ledger {
  private readonly st: Record<'spentIn' | 'spend' | 'pendingOf' | 'promisesIn' | 'promise' | 'settle' | 'release', Statement>;

  constructor(
    readonly db: Database,
    readonly keysets: Keysets,
    readonly events: MintEvents,
    readonly limits: Limits,
  ) {
    this.st = {
      spentIn: db.prepare('SELECT y, state, witness FROM spent_proofs WHERE y IN (SELECT value FROM json_each(?))'),
      spend: db.prepare(
        'INSERT INTO spent_proofs (y, keyset_id, amount, witness, state, melt_quote) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      pendingOf: db.prepare("SELECT y FROM spent_proofs WHERE melt_quote = ? AND state = 'PENDING'").pluck(),
      promisesIn: db.prepare('SELECT * FROM promises WHERE b_ IN (SELECT value FROM json_each(?))'),
      promise: db.prepare(
        'INSERT INTO promises (b_, keyset_id, amount, c_, dleq_e, dleq_s) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      settle: db.prepare("UPDATE spent_proofs SET state = 'SPENT' WHERE melt_quote = ? AND state = 'PENDING'"),
      release: db.prepare("DELETE FROM spent_proofs WHERE melt_quote = ? AND state = 'PENDING'"),
    };
  }

  /** NUT-03: spend `inputs`, sign `outputs`; Σinputs − fee must equal Σoutputs. */
  swap(inputs: readonly ProofJson[], outputs: readonly BlindedMessageJson[]): BlindSignatureJson[] {
    const outs = verifyOutputs(this.keysets, outputs, this.limits);
    const ins = verifyInputs(this.keysets, inputs, this.limits, { outputs, assertUnspent: (ys) => this.assertUnspent(ys) });
    if (outs.length > 0 && outs[0]?.keyset.unit !== ins.unit) {
      throw new MintError('unit-mismatch', 'inputs and outputs not of same unit');
    }
    if (ins.amount - ins.fee !== outputsAmount(outs)) {
      throw new MintError('unbalanced', 'transaction is not balanced (inputs - fees != outputs)');
    }
    const signatures = this.sign(outs);
    this.transaction(() => {
      this.spend(inputs, ins, 'SPENT');
      this.record(outs, signatures);
    });
    this.events.proofStates(ins.ys.map((Y, i) => ({ Y, state: 'SPENT', witness: ins.witnesses[i] ?? null })));
    return signatures;
  }

  /** Signs each output with its own amount, or with `amounts[i]` when given (NUT-08 change). */
  sign(outs: readonly VerifiedOutput[], amounts?: readonly number[]): BlindSignatureJson[] {
    return outs.map((o, i) => o.keyset.sign(amounts?.[i] ?? o.message.amount, o.B_));
  }

  /** Runs `fn` in one IMMEDIATE transaction (the write lock is taken at BEGIN). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Inside a transaction: records the inputs' Ys; MintError 11001/11002 if any is spent or pending. */
  spend(inputs: readonly ProofJson[], ins: VerifiedInputs, state: 'PENDING' | 'SPENT', meltQuote?: string): void {
    this.assertUnspent(ins.ys);
    inputs.forEach((p, i) =>
      this.st.spend.run(ins.ys[i], p.id, p.amount, ins.witnesses[i] ?? null, state, meltQuote ?? null),
    );
  }

  /** MintError 11001/11002 if any of `ys` is spent or pending. */
  assertUnspent(ys: readonly string[]): void {
    const existing = this.st.spentIn.all(JSON.stringify(ys)) as SpentRow[];
    if (existing.some((r) => r.state === 'SPENT')) throw new MintError('proofs-spent', 'proofs already spent');
    if (existing.length > 0) throw new MintError('proofs-pending', 'proofs are pending');
  }

  /** Inside a transaction: records issued signatures; MintError 11003 if an output was signed before. */
  record(outs: readonly VerifiedOutput[], signatures: readonly BlindSignatureJson[]): void {
    this.assertUnsigned(outs);
    signatures.forEach((s, i) =>
      this.st.promise.run(outs[i]?.message.B_.toLowerCase(), s.id, s.amount, s.C_, s.dleq.e, s.dleq.s),
    );
  }

  /** True when none of `outs` was signed before. */
  unsigned(outs: readonly VerifiedOutput[]): boolean {
    return this.st.promisesIn.all(JSON.stringify(outs.map((o) => o.message.B_.toLowerCase()))).length === 0;
  }

  /** MintError 11003 if any of `outs` was signed before (checked again inside the transaction that signs). */
  assertUnsigned(outs: readonly VerifiedOutput[]): void {
    if (!this.unsigned(outs)) throw new MintError('outputs-signed', 'outputs have already been signed before');
  }

  /** Inside a transaction: the melt's pending inputs become spent (true) or spendable again (false). */
  finishPending(meltQuote: string, paid: boolean): string[] {
    const ys = this.st.pendingOf.all(meltQuote) as string[];
    (paid ? this.st.settle : this.st.release).run(meltQuote);
    return ys;
  }

  /** NUT-07: the state of each Y, in request order. */
  checkState(ys: readonly string[]): ProofState[] {
    const rows = new Map((this.st.spentIn.all(JSON.stringify(ys)) as SpentRow[]).map((r) => [r.y, r]));
    return ys.map((Y) => {
      const r = rows.get(Y);
      return { Y, state: r?.state ?? 'UNSPENT', witness: r?.witness ?? null };
    });
  }

  /** NUT-09: the signatures issued earlier for those of `outputs` the mint has signed, in request order. */
  restore(outputs: readonly BlindedMessageJson[]): {
    outputs: BlindedMessageJson[];
    signatures: BlindSignatureJson[];
  } {
    const rows = new Map(
      (this.st.promisesIn.all(JSON.stringify(outputs.map((o) => o.B_.toLowerCase()))) as PromiseRow[]).map((r) => [r.b_, r]),
    );
    const found = outputs.flatMap((o) => {
      const r = rows.get(o.B_.toLowerCase());
      return r ? [{ o, r }] : [];
    });
    return {
      outputs: found.map(({ o, r }) => ({ amount: r.amount, id: r.keyset_id, B_: o.B_ })),
      signatures: found.map(({ r }) => ({
        id: r.keyset_id,
        amount: r.amount,
        C_: r.c_,
        dleq: { e: r.dleq_e, s: r.dleq_s },
      })),
    };
  }
}
