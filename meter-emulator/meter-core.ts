/**
 * The meter's logic without I/O (issue 3): the emulated household consumes, the tariff prices it, and
 * every time the priced consumption crosses a unit of expense the meter runs TokenGen; at period end it
 * closes the period and the bill becomes due. Each telegram then carries, within its byte budget:
 * the DSMR readings, the due bill, new tokens first, and the carousel in what is left.
 *
 * The carousel cycles through the previous period's bill and tokens and the current period's tokens
 * sent so far, regenerating each from the seed (protocol.md §BillGen): a computer that was off or lost
 * bytes catches up without a message back. One slot in four goes to the newest tokens instead, since
 * short outages are the common ones. New tokens always go first, so the carousel only uses room that
 * consumption leaves.
 * @module
 */
import {
  billGen, closePeriod, encodeBillLine, encodeSipsterLine, encodeTelegram, encodeTokenLine, tokenAt, tokenGen,
  type CurveBackend,
} from '../protocol/index.js';
import { readingLines } from './dsmr-lines.js';
import { MeterError } from './errors.js';
import { checkFollowed, type FollowedReading, type FollowRefusal } from './follow-check.js';
import { Household, seededRandom, tariffAt, type Tariff } from './household.js';
import type { MeterRecord } from './state-file.js';

export interface MeterConfig {
  /** Billing period length, emulated ms. */
  periodMs: number;
  /** One unit of expense, micro-units of currency (100 000 = 0.10). */
  unitMicros: number;
  tariff: Tariff;
  backend: CurveBackend;
  /** Identification line after '/'. */
  header: string;
}

/** What one telegram carried, for statistics (never logged with content). */
export interface TelegramStats {
  bytes: number;
  newTokens: number;
  carouselTokens: number;
  bills: number;
}

const LINE_END = 2;
/** The newest tokens the recent walk covers, and how often it gets a carousel slot (one in RECENT_EVERY). */
const RECENT_TOKENS = 64;
const RECENT_EVERY = 4;

export class MeterCore {
  private readonly household: Household;
  private readonly voltageNoise: () => number;
  private minute = -1;
  private minuteKw = 0;
  private cursor = 0;
  private recentCursor = 0;
  private slot = 0;
  /** Follow mode: the real meter's last accepted reading (tariff, power, voltage go into the telegrams as read). */
  private live: FollowedReading | null = null;

  constructor(
    public record: MeterRecord,
    private readonly config: MeterConfig,
    private readonly persist: (r: MeterRecord) => void,
  ) {
    this.household = new Household(record.householdSeed);
    this.voltageNoise = seededRandom(record.householdSeed ^ 0x5eed);
  }

  /** Runs the household and the meter up to emulated time `toMs`; persists before any new token is sent. */
  advance(toMs: number): void {
    const r = this.record;
    let changed = false;
    while (r.clockMs < toMs) {
      changed = this.closeIfDue() || changed;
      const minute = Math.floor(r.clockMs / 60_000);
      if (minute !== this.minute) {
        this.minute = minute;
        this.minuteKw = this.household.powerKw(minute * 60_000);
      }
      const until = Math.min(toMs, (minute + 1) * 60_000, r.periodStartMs + this.config.periodMs);
      const kwh = (this.minuteKw * (until - r.clockMs)) / 3_600_000;
      const tariff = tariffAt(r.clockMs);
      r.importKwh = tariff === 1 ? [r.importKwh[0] + kwh, r.importKwh[1]] : [r.importKwh[0], r.importKwh[1] + kwh];
      changed = this.price(kwh * (tariff === 2 ? this.config.tariff.normalPerKwh : this.config.tariff.lowPerKwh)) || changed;
      r.clockMs = until;
    }
    if (changed) this.persist(r);
  }

  /**
   * Follow mode: one reading of a real meter. Its import registers' increase since the last accepted reading,
   * each × its tariff's price, becomes units of expense (TokenGen per whole unit; the fraction stays in the state).
   * An increase is priced in the period it was read in, then a period that ended by the reading's time closes.
   * A refused reading changes nothing: the registers it skipped are priced from the last accepted one later.
   * @returns null when accepted, else why it was refused.
   */
  follow(reading: FollowedReading): FollowRefusal | null {
    const r = this.record;
    if (!r.follow) throw new MeterError('bad-option', 'this meter emulates a household; it does not follow a real meter');
    const refusal = checkFollowed(r, reading, this.config.periodMs);
    if (refusal) return refusal;
    const { nowMs, importKwh } = reading;
    this.live = reading;
    if (r.follow.equipmentId === null) {
      // The first reading is the baseline: the meter's clock and registers become the real ones.
      r.follow = { equipmentId: reading.equipmentId };
      if (r.state.period === 1 && r.state.current.count === 0) r.periodStartMs = nowMs - (nowMs % 3_600_000);
    } else {
      const wh = [0, 1].map((k) => Math.round((importKwh[k]! - r.importKwh[k]!) * 1000));
      this.price((wh[0]! * this.config.tariff.lowPerKwh + wh[1]! * this.config.tariff.normalPerKwh) / 1000);
    }
    r.importKwh = [importKwh[0], importKwh[1]];
    r.clockMs = nowMs;
    this.closeIfDue();
    this.persist(r);
    return null;
  }

  /** Closes the period when the clock has reached its end; true when it did. */
  private closeIfDue(): boolean {
    const r = this.record;
    if (r.clockMs < r.periodStartMs + this.config.periodMs) return false;
    r.state = closePeriod(r.state);
    r.periodStartMs += this.config.periodMs;
    r.sentPrevious = r.sent;
    r.sent = 0;
    r.billDue = true;
    this.cursor = 0;
    this.recentCursor = 0;
    return true;
  }

  /** Adds priced consumption (micro-units) and runs TokenGen for every whole unit; true when a token was made. */
  private price(micros: number): boolean {
    const r = this.record;
    r.pricedSinceToken += micros;
    let made = false;
    while (r.pricedSinceToken >= this.config.unitMicros) {
      r.state = tokenGen(r.state, r.setSecretKey, this.config.backend).state;
      r.pricedSinceToken -= this.config.unitMicros;
      made = true;
    }
    return made;
  }

  /** The next telegram, at most `budget` bytes (the readings and the due bill always go). */
  telegram(budget: number): { bytes: Uint8Array; stats: TelegramStats } {
    const r = this.record;
    const { state } = r;
    const volts = () => 228 + 6 * this.voltageNoise();
    const live = this.live;
    const lines = [
      ...readingLines({
        nowMs: r.clockMs, meterId: state.id, importKwh: r.importKwh, tariff: live?.tariff ?? tariffAt(r.clockMs), powerKw: live?.powerKw ?? this.minuteKw,
        voltage: live?.voltage ?? [volts(), volts(), volts()],
      }),
      encodeSipsterLine(state.set),
    ];
    const stats: TelegramStats = { bytes: 0, newTokens: 0, carouselTokens: 0, bills: 0 };
    if (r.billDue && state.previous) {
      lines.push(encodeBillLine(billGen(state, state.period - 1, r.billSecretKey, this.config.backend)));
      r.billDue = false;
      stats.bills++;
    }
    // '/' header CRLF, blank line, each line + CRLF, '!' CRC CRLF
    let size = 1 + this.config.header.length + 2 * LINE_END + lines.reduce((n, l) => n + l.length + LINE_END, 0) + 7;
    const fits = (line: string) => size + line.length + LINE_END <= budget && ((size += line.length + LINE_END), true);
    // Due tokens, oldest first: those of the previous period issued just before it closed, then the current ones.
    const due: ['previous' | 'current', number][] = [];
    for (let i = r.sentPrevious; state.previous && i < state.previous.count; i++) due.push(['previous', i]);
    for (let i = r.sent; i < state.current.count; i++) due.push(['current', i]);
    for (const [which, index] of due) {
      const period = which === 'current' ? state.period : state.period - 1;
      const line = encodeTokenLine(tokenAt(state, period, index, r.setSecretKey, this.config.backend));
      if (!fits(line)) break;
      lines.push(line);
      if (which === 'current') r.sent++;
      else r.sentPrevious++;
      stats.newTokens++;
    }
    // The carousel: three slots in four walk the whole cycle; every fourth walks the newest tokens, newest
    // first, so that a computer that was off for hours, not weeks, has them back within seconds.
    const cycle = this.carouselLength();
    const recent = Math.min(RECENT_TOKENS, r.sent);
    const inTelegram = new Set<number>();
    for (let n = 0; n < cycle + recent; n++) {
      const fromRecent = recent > 0 && this.slot % RECENT_EVERY === RECENT_EVERY - 1;
      const at = fromRecent ? cycle - 1 - (this.recentCursor % recent) : this.cursor % cycle;
      const advance = () => {
        this.slot++;
        if (fromRecent) this.recentCursor = (this.recentCursor + 1) % recent;
        else this.cursor = (at + 1) % cycle;
      };
      const isBill = state.previous !== null && at === 0;
      if ((isBill && stats.bills > 0) || inTelegram.has(at)) {
        advance(); // one bill line per telegram, and no line twice
        continue;
      }
      const line = this.carouselLine(at);
      if (!fits(line)) break;
      lines.push(line);
      inTelegram.add(at);
      advance();
      if (isBill) stats.bills++;
      else stats.carouselTokens++;
    }
    const bytes = encodeTelegram(this.config.header, lines);
    stats.bytes = bytes.length;
    return { bytes, stats };
  }

  /** Previous bill, previous period's tokens, current period's tokens sent so far. */
  private carouselLength(): number {
    const { state, sent } = this.record;
    return (state.previous ? 1 + state.previous.count : 0) + sent;
  }

  private carouselLine(at: number): string {
    const { state, setSecretKey, billSecretKey } = this.record;
    const { backend } = this.config;
    if (state.previous) {
      if (at === 0) return encodeBillLine(billGen(state, state.period - 1, billSecretKey, backend));
      if (at <= state.previous.count) return encodeTokenLine(tokenAt(state, state.period - 1, at - 1, setSecretKey, backend));
      at -= 1 + state.previous.count;
    }
    return encodeTokenLine(tokenAt(state, state.period, at, setSecretKey, backend));
  }
}
