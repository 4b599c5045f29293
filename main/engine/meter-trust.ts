/**
 * What the meter sends is stored only when its signature verifies (issue 14 §2): a token under its set's token key,
 * a bill under the bill key the utility registered for the meter. A link opened with a meter key file has checked
 * both already (bridge/). Without one, the keys are the utility's: the set's token key from the `/v1/params` pinned
 * with its receipt key, and the meter's bill key from `GET /v1/meters/:meter`, pinned once a bill verifies under it.
 * Until a key is known, what came is held here in memory (the link does not send a repeat again); what does not
 * verify is dropped and counted, so a forged bill or token on the serial input can neither be paid nor block a
 * period's settlement.
 * @module
 */
import { type BillWithOpening, type CurveBackend, type Token, DecodeError, bytesToHex, hexToBytes, verifyBill, verifyToken } from '../../protocol/index.js';
import type { LinkEvent } from '../../bridge/index.js';
import { type Db, getMeta, pinnedTokenKey, pinnedUtility, setMeta } from './wallet/index.js';

/** Held at most, until the keys are known (a period's tokens of a large household, and a few bills). */
const HELD_TOKENS = 4096;
const HELD_BILLS = 16;

export interface Refused {
  tokens: number;
  bills: number;
}

const verifies = (check: () => void): boolean => {
  try {
    check();
    return true;
  } catch (e) {
    if (e instanceof DecodeError) return false;
    throw e;
  }
};

export class MeterTrust {
  /** Dropped because their signature does not verify (shown in MeterView.refused). */
  readonly refused: Refused = { tokens: 0, bills: 0 };
  private heldTokens: Token[] = [];
  private heldBills: BillWithOpening[] = [];

  constructor(private readonly db: Db, private readonly backend: CurveBackend, private readonly onRefused: (kind: keyof Refused) => void) {}

  /** Whether `e` may be stored now. `linkChecked`: the link verified it with the meter key file. */
  accept(e: Extract<LinkEvent, { kind: 'token' | 'bill' }>, linkChecked: boolean): boolean {
    if (linkChecked) return true;
    return e.kind === 'token' ? this.token(e.token) : this.bill(e.bill);
  }

  private token(t: Token): boolean {
    const pin = pinnedUtility(this.db);
    if (!pin) return this.hold(this.heldTokens, t, HELD_TOKENS);
    const key = pinnedTokenKey(pin, t.set);
    if (key && verifies(() => verifyToken(key, t, this.backend))) return true;
    return this.refuse('tokens');
  }

  private bill(b: BillWithOpening): boolean {
    const pinned = this.pinnedBillKey();
    if (!pinned) return this.hold(this.heldBills, b, HELD_BILLS);
    if (b.bill.meter === pinned.meter && verifies(() => verifyBill(pinned.key, b.bill, this.backend))) return true;
    return this.refuse('bills');
  }

  /** The meter whose registered bill key is needed to check a held bill; null when none is needed. */
  wantedMeter(): string | null {
    return this.pinnedBillKey() ? null : (this.heldBills[0]?.bill.meter ?? null);
  }

  /**
   * The utility's answer for `meter` (null: not registered). The key is pinned only when a held bill of that meter
   * verifies under it, so a bill naming another household's meter cannot make this wallet pin the wrong key;
   * the held bills of `meter` that do not verify are dropped and counted.
   */
  registeredKey(meter: string, key: Uint8Array | null): void {
    const named = this.heldBills.filter((b) => b.bill.meter === meter);
    this.heldBills = this.heldBills.filter((b) => b.bill.meter !== meter);
    const genuine = key ? named.filter((b) => verifies(() => verifyBill(key, b.bill, this.backend))) : [];
    if (key && genuine.length > 0) setMeta(this.db, 'meter-bill-key', JSON.stringify({ meter, key: bytesToHex(key) }));
    for (let i = genuine.length; i < named.length; i++) this.refuse('bills');
    this.heldBills.push(...genuine);
  }

  /** Everything held, handed back to be accepted again now that keys may be known (what still waits is held again). */
  release(): Extract<LinkEvent, { kind: 'token' | 'bill' }>[] {
    if (!pinnedUtility(this.db) && !this.pinnedBillKey()) return [];
    const out = [...this.heldTokens.map((token) => ({ kind: 'token' as const, token })), ...this.heldBills.map((bill) => ({ kind: 'bill' as const, bill }))];
    this.heldTokens = [];
    this.heldBills = [];
    return out;
  }

  private pinnedBillKey(): { meter: string; key: Uint8Array } | null {
    const v = getMeta(this.db, 'meter-bill-key');
    if (!v) return null;
    const { meter, key } = JSON.parse(v) as { meter: string; key: string };
    return { meter, key: hexToBytes(key, 33) };
  }

  private hold<T>(list: T[], item: T, max: number): false {
    if (list.length < max) list.push(item);
    return false;
  }

  private refuse(kind: keyof Refused): false {
    this.refused[kind]++;
    this.onRefused(kind);
    return false;
  }
}
