import { describe, expect, it } from 'vitest';
import { bytesToHex as hex } from './bytes.js';
import { billGen, closePeriod, forgetPrevious, loseState, newMeterState, tokenAt, tokenGen, type MeterState, type Token } from './meter.js';
import { ratchet } from './hash.js';

const setKey = new Uint8Array(32).fill(7);
const billKey = new Uint8Array(32).fill(8);

function issue(state: MeterState, n: number): { state: MeterState; tokens: Token[] } {
  const tokens: Token[] = [];
  for (let i = 0; i < n; i++) {
    const r = tokenGen(state, setKey);
    state = r.state;
    tokens.push(r.token);
  }
  return { state, tokens };
}

// State size in bytes, with bigint as decimal: what the meter must keep in non-volatile memory.
const size = (s: MeterState) => JSON.stringify(s, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? hex(v) : v)).length;

describe('meter state (protocol.md §Meter state)', () => {
  it('re-emits any token of the current and previous period byte for byte, and both bills', () => {
    let { state, tokens: first } = issue(newMeterState('m-1', 1, 10, new Uint8Array(32).fill(3)), 5);
    const bill10 = billGen(state, 10, billKey);
    state = closePeriod(state);
    const r = issue(state, 3);
    state = r.state;
    for (const t of first) expect(tokenAt(state, 10, t.index, setKey)).toEqual(t);
    for (const t of r.tokens) expect(tokenAt(state, 11, t.index, setKey)).toEqual(t);
    expect(billGen(state, 10, billKey)).toEqual(bill10);
    expect(() => tokenAt(state, 11, 3, setKey)).toThrow(RangeError);
    expect(() => tokenAt(state, 9, 0, setKey)).toThrow(RangeError);
    expect(() => tokenAt(forgetPrevious(state), 10, 0, setKey)).toThrow(RangeError);
  });

  it('keeps constant-size state whatever K is', () => {
    const start = newMeterState('m-1', 1, 10, new Uint8Array(32).fill(3));
    const sizes = [0, 1, 50].map((k) => size(issue(start, k).state));
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(80); // only the digits of k and Y_t differ
  });

  it('ratchets the seed at period end and forgets the seed two periods back', () => {
    const s0 = newMeterState('m-1', 1, 10, new Uint8Array(32).fill(3));
    const s1 = closePeriod(issue(s0, 2).state);
    expect(hex(s1.current.seed)).toBe(hex(ratchet(s0.current.seed)));
    expect(s1.current.count).toBe(0);
    expect(s1.previous?.count).toBe(2);
    const s2 = closePeriod(s1);
    expect(hex(s2.previous!.seed)).toBe(hex(s1.current.seed));
    expect(JSON.stringify(s2, (_k, v) => (v instanceof Uint8Array ? hex(v) : typeof v === 'bigint' ? String(v) : v))).not.toContain(hex(s0.current.seed));
  });

  it('after lost state moves to the next epoch: fresh tokens, and a faulty bill', () => {
    const { state, tokens } = issue(newMeterState('m-1', 1, 10, new Uint8Array(32).fill(3)), 2);
    const lost = loseState(state);
    expect(lost.current).toMatchObject({ epoch: 1, count: 0, sum: 0n, fault: true });
    const again = issue(lost, 2).tokens;
    expect(again.map((t) => t.index)).toEqual([0, 1]);
    expect(again.map((t) => hex(t.T))).not.toContain(hex(tokens[0]!.T));
    expect(billGen(issue(lost, 2).state, 10, billKey).bill.fault).toBe(true);
  });

  it('refuses a malformed meter id, set, period or seed as programmer misuse', () => {
    expect(() => newMeterState('', 1, 1, new Uint8Array(32))).toThrow(RangeError);
    expect(() => newMeterState('a b', 1, 1, new Uint8Array(32))).toThrow(RangeError);
    expect(() => newMeterState('m', -1, 1, new Uint8Array(32))).toThrow(RangeError);
    expect(() => newMeterState('m', 1, 2 ** 32, new Uint8Array(32))).toThrow(RangeError);
    expect(() => newMeterState('m', 1, 1, new Uint8Array(16))).toThrow(TypeError);
  });
});
