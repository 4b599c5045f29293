/**
 * Cuts a P1 byte stream into telegram frames (issue 3), incrementally and without I/O.
 *
 * A frame runs from a '/' to the '!' that starts the last line, then up to 4 CRC hex digits and
 * CR LF. The framer resynchronises on '/': bytes before a '/' are garbage; a '/' at the start
 * of a line inside a frame means the frame was cut short (the next telegram began), so the old
 * frame is dropped as 'truncated' and the new one starts there. A '/' inside a line is data
 * (text messages may hold one). A frame longer than `maxBytes` is dropped as 'too-long'.
 * @module
 */
import { concatBytes } from '../bytes.js';

const SLASH = 0x2f;
const BANG = 0x21;
const CR = 0x0d;
const LF = 0x0a;

export type FramerEvent =
  | { kind: 'frame'; bytes: Uint8Array }
  | { kind: 'dropped'; code: 'truncated' | 'too-long'; bytes: number }
  | { kind: 'garbage'; bytes: number };

/** A DSMR 5 telegram is ~1 KB; a Sipster telegram carries at most one second of the link. */
export const MAX_TELEGRAM_BYTES = 16_384;

const isHexDigit = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);

export class TelegramFramer {
  private buf: Uint8Array = new Uint8Array(0);
  private inFrame = false;
  private scan = 1; // next index to look at inside the current frame
  private bang = -1; // index of the final '!' once seen

  constructor(private readonly maxBytes = MAX_TELEGRAM_BYTES) {
    if (!Number.isInteger(maxBytes) || maxBytes < 8) throw new RangeError('"maxBytes" must be an integer ≥ 8');
  }

  /** Feed bytes; returns what they completed, in stream order. */
  push(chunk: Uint8Array): FramerEvent[] {
    const events: FramerEvent[] = [];
    if (chunk.length === 0) return events;
    this.buf = concatBytes(this.buf, chunk);
    this.advance(events);
    return events;
  }

  /** End of input (a file, or a port closing): a frame complete but for its final CR LF is kept. */
  end(): FramerEvent[] {
    const events: FramerEvent[] = [];
    if (this.inFrame) {
      if (this.bang >= 0) events.push({ kind: 'frame', bytes: this.buf.slice() });
      else events.push({ kind: 'dropped', code: 'truncated', bytes: this.buf.length });
    } else if (this.buf.length > 0) events.push({ kind: 'garbage', bytes: this.buf.length });
    this.reset(this.buf.length);
    return events;
  }

  /** Bytes held for an unfinished frame. */
  get buffered(): number {
    return this.buf.length;
  }

  private reset(consumed: number): void {
    this.buf = this.buf.subarray(consumed);
    this.inFrame = false;
    this.scan = 1;
    this.bang = -1;
  }

  private advance(events: FramerEvent[]): void {
    for (;;) {
      if (!this.inFrame) {
        const start = this.buf.indexOf(SLASH);
        if (start < 0) {
          if (this.buf.length > 0) events.push({ kind: 'garbage', bytes: this.buf.length });
          this.buf = new Uint8Array(0);
          return;
        }
        if (start > 0) events.push({ kind: 'garbage', bytes: start });
        this.buf = this.buf.subarray(start);
        this.inFrame = true;
        this.scan = 1;
        this.bang = -1;
      }
      const step = this.bang < 0 ? this.findEnd() : this.readTrailer();
      if (step === 'more') {
        if (this.buf.length > this.maxBytes) {
          events.push({ kind: 'dropped', code: 'too-long', bytes: this.buf.length });
          this.reset(this.buf.length);
        }
        return;
      }
      if (step.kind === 'frame') {
        events.push({ kind: 'frame', bytes: this.buf.slice(0, step.end) });
        this.reset(step.end);
      } else {
        events.push({ kind: 'dropped', code: 'truncated', bytes: step.end });
        this.reset(step.end);
      }
    }
  }

  /** Looks for the '!' that starts a line; a '/' that starts a line first means a cut frame. */
  private findEnd(): 'more' | { kind: 'frame' | 'cut'; end: number } {
    const b = this.buf;
    for (let i = this.scan; i < b.length; i++) {
      if (i > this.maxBytes) return 'more';
      if (b[i - 1] !== LF) continue;
      if (b[i] === SLASH) return { kind: 'cut', end: i };
      if (b[i] === BANG) {
        this.bang = i;
        this.scan = i + 1;
        return this.readTrailer();
      }
    }
    this.scan = Math.max(1, b.length);
    return 'more';
  }

  /**
   * After '!': up to 4 hex digits, then CR LF. A bare LF also ends the frame, so that a telegram whose
   * line ends were rewritten reaches the CRC check and fails there. Anything else is a damaged end.
   */
  private readTrailer(): 'more' | { kind: 'frame' | 'cut'; end: number } {
    const b = this.buf;
    let i = this.bang + 1;
    while (i < b.length && i - this.bang <= 4 && isHexDigit(b[i]!)) i++;
    if (i >= b.length) return 'more';
    if (b[i] === LF) return { kind: 'frame', end: i + 1 };
    if (b[i] !== CR) return { kind: 'cut', end: b[i] === SLASH ? i : i + 1 };
    if (i + 1 >= b.length) return 'more';
    if (b[i + 1] !== LF) return { kind: 'cut', end: b[i + 1] === SLASH ? i + 1 : i + 2 };
    return { kind: 'frame', end: i + 2 };
  }
}
