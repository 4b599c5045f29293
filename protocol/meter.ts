/**
 * The meter's side (protocol.md §Meter state, §TokenGen, §BillGen): constant-size state, pure transitions.
 *
 *   y  = H2S("SIPSTER-V1-TOKEN-SCALAR", s_t, t, e, i);  T = y·G1;  σ = Sign(tsk_S, token message)
 *   ρ_t = H2S("SIPSTER-V1-MASK", s_t, t, e);  R_t = (Y_t − ρ_t)·G1;  β_t = Sign(bsk_ID, bill message)
 *
 * Token scalars and masks come from the period's seed, so any token of the current or previous period
 * (and either bill) can be emitted again byte for byte without being stored: the carousel relies on it.
 * The caller persists the returned state atomically BEFORE emitting the token (a rolled-back counter
 * would re-emit paid tokens as new consumption).
 * @module
 */
import { nobleBackend, type CurveBackend } from './backend.js';
import { assertU32 } from './bytes.js';
import { modQ } from './curve.js';
import { periodMask, ratchet, SEED_BYTES, tokenScalar } from './hash.js';
import { assertMeterId, billMessage, tokenMessage } from './messages.js';

/** What the meter keeps of one period: its seed and epoch, tokens issued k, and Y = Σ y mod q. */
export interface PeriodSecrets {
  readonly seed: Uint8Array;
  readonly epoch: number;
  readonly count: number;
  readonly sum: bigint;
  /** Set after lost state: this period's bill is marked faulty and settled out of band. */
  readonly fault: boolean;
}

export interface MeterState {
  readonly id: string;
  readonly set: number;
  readonly period: number;
  readonly current: PeriodSecrets;
  /** The previous period, kept while the carousel still covers it; null once erased (forward privacy). */
  readonly previous: PeriodSecrets | null;
}

/** A token as the meter emits it; `index` travels on the link for the household only and is NOT signed. */
export interface Token {
  readonly set: number;
  readonly period: number;
  readonly index: number;
  readonly T: Uint8Array;
  readonly sig: Uint8Array;
}

export interface Bill {
  readonly meter: string;
  readonly period: number;
  readonly fault: boolean;
  readonly R: Uint8Array;
  readonly sig: Uint8Array;
}

export function newMeterState(id: string, set: number, period: number, seed: Uint8Array): MeterState {
  assertMeterId(id);
  assertU32('set', set);
  assertU32('period', period);
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) throw new TypeError(`seed must be ${SEED_BYTES} bytes`);
  return { id, set, period, current: { seed: seed.slice(), epoch: 0, count: 0, sum: 0n, fault: false }, previous: null };
}

function makeToken(state: MeterState, period: number, secrets: PeriodSecrets, index: number, setSecretKey: Uint8Array, backend: CurveBackend) {
  const y = tokenScalar(secrets.seed, period, secrets.epoch, index);
  const T = backend.g1ToBytes(backend.g1Mul(backend.g1Generator(), y));
  const sig = backend.p256Sign(setSecretKey, tokenMessage(state.set, period, T));
  return { y, token: { set: state.set, period, index, T, sig } satisfies Token };
}

/** TokenGen: the next token of the current period and the state to persist before emitting it. */
export function tokenGen(state: MeterState, setSecretKey: Uint8Array, backend: CurveBackend = nobleBackend): { state: MeterState; token: Token } {
  const cur = state.current;
  const { y, token } = makeToken(state, state.period, cur, cur.count, setSecretKey, backend);
  return { state: { ...state, current: { ...cur, count: cur.count + 1, sum: modQ(cur.sum + y) } }, token };
}

function secretsOf(state: MeterState, period: number): PeriodSecrets {
  if (period === state.period) return state.current;
  if (state.previous && period === state.period - 1) return state.previous;
  throw new RangeError('the meter only covers its current and previous period');
}

/** Emits token `index` of the current or previous period again, byte-identical to the first time. */
export function tokenAt(state: MeterState, period: number, index: number, setSecretKey: Uint8Array, backend: CurveBackend = nobleBackend): Token {
  const secrets = secretsOf(state, period);
  if (!Number.isInteger(index) || index < 0 || index >= secrets.count) throw new RangeError('token index not issued');
  return makeToken(state, period, secrets, index, setSecretKey, backend).token;
}

/**
 * BillGen for the current or previous period. `mask` (ρ_t) and `count` (K) go to the household only.
 */
export function billGen(state: MeterState, period: number, billSecretKey: Uint8Array, backend: CurveBackend = nobleBackend): { bill: Bill; mask: bigint; count: number } {
  const secrets = secretsOf(state, period);
  const mask = periodMask(secrets.seed, period, secrets.epoch);
  const R = backend.g1ToBytes(backend.g1Mul(backend.g1Generator(), modQ(secrets.sum - mask)));
  const sig = backend.p256Sign(billSecretKey, billMessage(state.id, period, secrets.fault, R));
  return { bill: { meter: state.id, period, fault: secrets.fault, R, sig }, mask, count: secrets.count };
}

/** Period end: the current period becomes the previous one; s_{t+1} = H(s_t); the old previous seed is erased. */
export function closePeriod(state: MeterState): MeterState {
  assertU32('period', state.period + 1);
  const cur = state.current;
  return {
    ...state,
    period: state.period + 1,
    previous: cur,
    current: { seed: ratchet(cur.seed), epoch: cur.epoch, count: 0, sum: 0n, fault: false },
  };
}

/** Erases the previous period's secrets once the carousel no longer covers it (forward privacy). */
export const forgetPrevious = (state: MeterState): MeterState => ({ ...state, previous: null });

/**
 * Lost state (counter and sum gone, seed and epoch kept): never restart the counter silently. Move to the
 * next epoch (all later tokens are fresh), restart the sum, and mark this period's bill as faulty.
 */
export function loseState(state: MeterState): MeterState {
  assertU32('epoch', state.current.epoch + 1);
  return { ...state, current: { ...state.current, epoch: state.current.epoch + 1, count: 0, sum: 0n, fault: true } };
}
