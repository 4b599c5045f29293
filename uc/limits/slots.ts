/**
 * At most `max` tasks at once, at most `maxQueued` waiting for a turn: a bounded line in front of something costly
 * (a route's handler, the mint). A task that finds the line full is refused at once instead of waiting.
 * @module
 */
export class LineFull extends Error {
  override readonly name = 'LineFull';
}

export class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly max: number, readonly maxQueued = Infinity) {}

  /** Takes a slot, after waiting for one if need be; answers its release (idempotent). @throws LineFull when the line is full */
  async acquire(): Promise<() => void> {
    if (this.running >= this.max) {
      if (this.waiting.length >= this.maxQueued) throw new LineFull('every slot is busy and the line is full');
      await new Promise<void>((turn) => this.waiting.push(turn));
    } else this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next(); // the slot passes on, still counted
      else this.running--;
    };
  }

  /** Runs `task` in a slot. @throws LineFull (without running it) when the line is full */
  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }
}
