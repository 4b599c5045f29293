import { describe, expect, it } from 'vitest';
import { PacedWriter, type LineClock } from './paced-port.js';

/** Virtual time: sleeping moves the clock, so the test checks the schedule, not the machine's speed. */
function virtualClock(): LineClock & { t: number } {
  const clock = { t: 0, now: () => clock.t, sleep: async (ms: number) => void (clock.t += ms) };
  return clock;
}

describe('paced writer', () => {
  it('takes a real line its time: 11 520 bytes a second at 115200 baud, 960 at 9600', async () => {
    for (const [baud, bytes] of [[115200, 11_520 * 3], [9600, 2_400]] as const) {
      const clock = virtualClock();
      const written: { at: number; n: number }[] = [];
      const writer = new PacedWriter({ write: async (b) => void written.push({ at: clock.t, n: b.length }) }, baud, clock);
      await writer.write(new Uint8Array(bytes));
      expect(written.reduce((n, w) => n + w.n, 0)).toBe(bytes);
      const lastSlice = written.at(-1)!;
      // the last slice starts when the line has carried everything before it
      expect(lastSlice.at).toBeCloseTo(((bytes - lastSlice.n) * 1000) / (baud / 10), 0);
      expect(Math.max(...written.map((w) => w.n))).toBeLessThanOrEqual(Math.max(16, Math.round(baud / 10 / 100)));
    }
  });

  it('stops mid-telegram when aborted', async () => {
    const clock = virtualClock();
    const abort = new AbortController();
    let sent = 0;
    const writer = new PacedWriter({ write: async (b) => {
      sent += b.length;
      if (sent > 1000) abort.abort();
    } }, 115200, clock);
    await writer.write(new Uint8Array(10_000), abort.signal);
    expect(sent).toBeLessThan(1300);
  });
});
