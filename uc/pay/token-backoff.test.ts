import { describe, expect, it } from 'vitest';
import { HttpError } from '../errors.js';
import { TokenBackoff } from './token-backoff.js';

const token = (i: number) => ({ set: 1, period: 7, T: new Uint8Array(48).fill(i) });
const retryAfter = (b: TokenBackoff, i: number) => {
  try {
    b.check(token(i));
    return 0;
  } catch (err) {
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ statusCode: 429, code: 'rate-limited' });
    return (err as HttpError).retryAfterS;
  }
};

describe('TokenBackoff', () => {
  it('refuses a token whose coin was refused until its time is up, doubling per refusal up to the cap', () => {
    let now = 0;
    const b = new TokenBackoff({ baseMs: 2_000, maxMs: 5_000, maxEntries: 10 }, () => now);
    expect(retryAfter(b, 1)).toBe(0);
    b.refused(token(1));
    expect(retryAfter(b, 1)).toBe(2);
    expect(retryAfter(b, 2)).toBe(0); // another token is not touched
    now = 2_000;
    expect(retryAfter(b, 1)).toBe(0);
    b.refused(token(1));
    expect(retryAfter(b, 1)).toBe(4);
    b.refused(token(1));
    expect(retryAfter(b, 1)).toBe(5);
  });

  it('forgets the oldest tokens when full', () => {
    const b = new TokenBackoff({ baseMs: 60_000, maxMs: 60_000, maxEntries: 2 }, () => 0);
    for (const i of [1, 2, 3]) b.refused(token(i));
    expect([1, 2, 3].map((i) => retryAfter(b, i))).toEqual([0, 60, 60]);
  });
});
