// The wait of a top-up (top-up.ts waitForPayment), its logic alone: NUT-17 first, polling when the socket fails.
import { describe, expect, it } from 'vitest';
import { type QuoteState, waitForPayment } from './top-up.js';

const later = Math.floor(Date.now() / 1000) + 3600;

describe('waitForPayment', () => {
  it('ends on the state the subscription announces, without polling again', async () => {
    let checks = 0;
    let announce: (s: QuoteState) => void = () => {};
    const r = waitForPayment({
      check: async () => (checks++, 'UNPAID'), expiry: later,
      subscribe: async (onState) => ((announce = onState), () => {}),
    });
    await new Promise((res) => setTimeout(res, 20));
    announce('PAID');
    expect(await r).toBe('PAID');
    expect(checks).toBe(1); // the one check right after subscribing
  });

  it('polls when the WebSocket cannot be opened, and when it is lost', async () => {
    let n = 0;
    expect(await waitForPayment({ check: async () => (++n < 3 ? 'UNPAID' : 'ISSUED'), expiry: later, firstPollMs: 1,
      subscribe: async () => { throw new Error('no proxy'); } })).toBe('ISSUED');
    let lose: () => void = () => {};
    let m = 0;
    let opened = 0;
    const r = waitForPayment({ check: async () => (++m < 4 ? 'UNPAID' : 'PAID'), expiry: later, firstPollMs: 1,
      subscribe: async (_on, onLost) => {
        if (opened++ > 0) throw new Error('the mint is gone'); // reconnecting fails: polling alone
        lose = onLost;
        return () => {};
      } });
    await new Promise((res) => setTimeout(res, 20));
    lose(); // the socket dropped
    expect(await r).toBe('PAID');
    expect(opened).toBeGreaterThan(1);
  });

  it('says expired once the expiry passed unpaid, and stopped when aborted', async () => {
    expect(await waitForPayment({ check: async () => 'UNPAID', expiry: Math.floor(Date.now() / 1000) - 1 })).toBe('expired');
    const stop = new AbortController();
    const r = waitForPayment({ check: async () => 'UNPAID', expiry: null, signal: stop.signal });
    stop.abort();
    expect(await r).toBe('stopped');
  });
});
