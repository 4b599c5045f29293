/**
 * Bytes from the serial link → typed, validated events (issue 3; architecture.md step 2). No I/O:
 * serial-link.ts feeds it from a port, `p1 decode` from a file.
 *
 * Every frame is checked in order: CRC, lines, then every token (set signature over the canonical
 * bytes, point on the curve and in the subgroup) and the bill (meter signature, point). One bad part
 * drops the whole telegram, counted by reason. Carousel repeats are recognised by (S, t, T): a repeat
 * of a token already accepted is counted and not checked or emitted again.
 * @module
 */
import {
  bytesToHex, decodeTelegram, nobleBackend, TelegramError, TelegramFramer, verifyBill, verifyToken,
  type BillWithOpening, type CurveBackend, type Readings, type Token,
} from '../protocol/index.js';
import { DROP_REASONS, LinkError, type DropReason } from './errors.js';

/** The keys a household trusts, pinned when the meter is installed. */
export interface MeterKeys {
  /** tpk_S, 33-byte compressed P-256. */
  setPublicKey: Uint8Array;
  /** bpk_ID of this household's meter. */
  billPublicKey: Uint8Array;
  /** When given, bills naming another meter are refused. */
  meter?: string;
}

export interface LinkReaderOptions {
  /** Without keys, tokens and bills are decoded and their points checked, but signatures are not. */
  keys?: MeterKeys;
  /** false only for DSMR 2.2/3.0 meters (9600 7E1), whose telegrams carry no CRC. */
  requireCrc?: boolean;
  backend?: CurveBackend;
}

/** One telegram as read: what `p1 decode` prints. */
export type TelegramResult =
  | {
    ok: true; crc: 'valid' | 'absent'; readings: Readings; tokens: Token[]; bill?: BillWithOpening; verified: boolean;
    /** Only from an encrypted P1 or DLMS push meter: whether a GCM tag was checked ('none': a plain data-notification). */
    encryption?: 'authenticated' | 'unauthenticated' | 'none';
  }
  | { ok: false; error: DropReason };

export type LinkEvent =
  | { kind: 'reading'; readings: Readings }
  | { kind: 'token'; token: Token }
  | { kind: 'bill'; bill: BillWithOpening };

export interface LinkCounters {
  telegramsOk: number;
  dropped: Record<DropReason, number>;
  garbageBytes: number;
  tokensNew: number;
  tokensRepeated: number;
  billsNew: number;
  billsRepeated: number;
}

export const newCounters = (): LinkCounters => ({
  telegramsOk: 0,
  dropped: Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>,
  garbageBytes: 0,
  tokensNew: 0,
  tokensRepeated: 0,
  billsNew: 0,
  billsRepeated: 0,
});

/**
 * A repeat is known by (S, t, T) once its signature was checked here; without keys the signature (and a bill's
 * opening) are part of it too, so a forged copy seen first cannot make the genuine one pass for a repeat: the engine
 * checks both against the utility's keys and keeps the one that verifies.
 */
const tokenKey = (t: Token, checked: boolean) => `${t.set}/${t.period}/${bytesToHex(t.T)}${checked ? '' : `/${bytesToHex(t.sig)}`}`;
const billKey = (b: BillWithOpening, checked: boolean) =>
  `${b.bill.meter}/${b.bill.period}/${bytesToHex(b.bill.R)}${checked ? '' : `/${b.bill.fault}/${bytesToHex(b.bill.sig)}/${b.mask}/${b.count}`}`;

export class LinkReader {
  readonly counters = newCounters();
  private framer = new TelegramFramer();
  /** Accepted tokens and bills by period; only the newest two periods are kept (the carousel's reach). */
  private seen = new Map<number, Set<string>>();

  constructor(private readonly opts: LinkReaderOptions = {}) {}

  /** Feeds bytes; returns each completed telegram's result and the new events, in order. */
  push(bytes: Uint8Array): { results: TelegramResult[]; events: LinkEvent[] } {
    return this.handle(this.framer.push(bytes));
  }

  /** End of input: a last telegram missing only its final CR LF still counts. */
  end(): { results: TelegramResult[]; events: LinkEvent[] } {
    const out = this.handle(this.framer.end());
    this.framer = new TelegramFramer();
    return out;
  }

  /** Forgets a half-read frame (the port was reopened: its bytes will not continue). */
  resync(): void {
    this.handle(this.framer.end());
    this.framer = new TelegramFramer();
  }

  private handle(framed: ReturnType<TelegramFramer['push']>) {
    const results: TelegramResult[] = [];
    const events: LinkEvent[] = [];
    for (const f of framed) {
      if (f.kind === 'garbage') this.counters.garbageBytes += f.bytes;
      else if (f.kind === 'dropped') results.push(this.drop(f.code));
      else results.push(this.accept(f.bytes, events));
    }
    return { results, events };
  }

  private drop(reason: DropReason): TelegramResult {
    this.counters.dropped[reason]++;
    return { ok: false, error: reason };
  }

  private accept(frame: Uint8Array, events: LinkEvent[]): TelegramResult {
    const { keys, requireCrc = true, backend = nobleBackend } = this.opts;
    let checked: { crc: 'valid' | 'absent'; readings: Readings; tokens: Token[]; bill?: BillWithOpening };
    try {
      const telegram = decodeTelegram(frame, { requireCrc });
      const fresh = telegram.tokens.filter((t) => !this.has(t.period, tokenKey(t, keys !== undefined)));
      for (const token of fresh) this.check('bad-token', () => (keys ? verifyToken(keys.setPublicKey, token, backend) : backend.g1FromBytes(token.T, true)));
      const { bill } = telegram;
      if (bill && !this.has(bill.bill.period, billKey(bill, keys !== undefined))) {
        if (keys?.meter !== undefined && bill.bill.meter !== keys.meter) throw new LinkError('bad-bill', 'bill of another meter');
        this.check('bad-bill', () => (keys ? verifyBill(keys.billPublicKey, bill.bill, backend) : backend.g1FromBytes(bill.bill.R, true)));
      }
      checked = { crc: telegram.crc, readings: telegram.readings, tokens: telegram.tokens, ...(bill ? { bill } : {}) };
    } catch (e) {
      if (e instanceof TelegramError || e instanceof LinkError) return this.drop(e.code as DropReason);
      throw e;
    }
    this.counters.telegramsOk++;
    events.push({ kind: 'reading', readings: checked.readings });
    for (const token of checked.tokens) {
      if (this.remember(token.period, tokenKey(token, keys !== undefined))) {
        this.counters.tokensNew++;
        events.push({ kind: 'token', token });
      } else this.counters.tokensRepeated++;
    }
    if (checked.bill) {
      if (this.remember(checked.bill.bill.period, billKey(checked.bill, keys !== undefined))) {
        this.counters.billsNew++;
        events.push({ kind: 'bill', bill: checked.bill });
      } else this.counters.billsRepeated++;
    }
    return { ok: true, ...checked, verified: keys !== undefined };
  }

  private check(code: 'bad-token' | 'bad-bill', verify: () => unknown): void {
    try {
      verify();
    } catch (cause) {
      throw new LinkError(code, code === 'bad-token' ? 'token does not verify' : 'bill does not verify', { cause });
    }
  }

  private has(period: number, key: string): boolean {
    return this.seen.get(period)?.has(key) ?? false;
  }

  /** @returns true when new. Periods older than the newest two are forgotten. */
  private remember(period: number, key: string): boolean {
    let set = this.seen.get(period);
    if (!set) {
      const newest = Math.max(period, ...this.seen.keys());
      for (const p of this.seen.keys()) if (p < newest - 1) this.seen.delete(p);
      if (period < newest - 1) return false; // older than the carousel covers: already handled
      set = new Set();
      this.seen.set(period, set);
    }
    if (set.has(key)) return false;
    set.add(key);
    return true;
  }
}
