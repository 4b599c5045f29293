/**
 * Writes bytes at the pace of a real serial line (issue 3). A pty ignores the baud rate and would carry
 * a megabyte in a blink; a 115200 8N1 line carries 11 520 bytes a second (10 bits a byte: start, 8 data,
 * stop; 7E1 is also 10). Bytes go out in ~10 ms slices, each sent when the line would have finished the
 * ones before it, so readers, tests and benchmarks see the real link budget.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface ByteSink {
  write(bytes: Uint8Array): Promise<void>;
}

/** Where the writer reads time and waits; a test passes a virtual one. */
export interface LineClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const realClock: LineClock = {
  now: () => performance.now(),
  sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : undefined).catch(() => undefined),
};

export class PacedWriter {
  readonly bytesPerSecond: number;
  private lineFreeAt = 0; // clock time when the line finishes what it was given

  constructor(
    private readonly sink: ByteSink,
    baudRate: number,
    private readonly clock: LineClock = realClock,
  ) {
    if (!(baudRate > 0)) throw new RangeError('"baudRate" must be positive');
    this.bytesPerSecond = baudRate / 10;
  }

  async write(bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    const slice = Math.max(16, Math.round(this.bytesPerSecond / 100));
    for (let at = 0; at < bytes.length && !signal?.aborted; at += slice) {
      const wait = this.lineFreeAt - this.clock.now();
      if (wait > 1) await this.clock.sleep(wait, signal);
      if (signal?.aborted) return;
      const part = bytes.subarray(at, at + slice);
      this.lineFreeAt = Math.max(this.lineFreeAt, this.clock.now()) + (part.length * 1000) / this.bytesPerSecond;
      await this.sink.write(part);
    }
  }
}
