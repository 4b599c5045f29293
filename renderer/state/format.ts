/**
 * Numbers and plain words for the window. Units are the utility's billing units: one token is one unit owed,
 * one 1-unit proof pays it (protocol.md §Payment).
 * @module
 */
import type { ApiErrorCode, QueueView, SettlementView, TariffView } from '../../main/api/index.js';
import { locale, t } from '../i18n/index.js';

// Building an Intl formatter costs far more than using one (a year of daily bars formats thousands of numbers and
// dates): each is built once per locale and options, and kept.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(kind: string, options: object, make: (tag: string) => F): F {
  const key = `${kind}\u0000${locale()}\u0000${JSON.stringify(options)}`;
  let f = formatters.get(key) as F | undefined;
  if (f === undefined) formatters.set(key, (f = make(locale())));
  return f;
}
const numbers = (o: Intl.NumberFormatOptions) => cached('n', o, (tag) => new Intl.NumberFormat(tag, o));

/** Numbers in the window's locale, with a fixed count of decimals (or at most `max`). */
export const formatNumber = (n: number, digits: number, max = digits): string =>
  numbers({ minimumFractionDigits: Math.min(digits, max), maximumFractionDigits: max }).format(n);

export function formatPower(watts: number): string {
  return Math.abs(watts) >= 1000 ? t('unit.kw', { n: formatNumber(watts / 1000, 2) }) : t('unit.w', { n: formatNumber(watts, 0) });
}

export function formatEnergy(wh: number): string {
  return Math.abs(wh) >= 1000 ? t('unit.kwh', { n: formatNumber(wh / 1000, 2) }) : t('unit.wh', { n: formatNumber(wh, 0) });
}

/** Energy already in kWh, to at most two decimals (the Energy screen's buckets). */
export const formatKwh = (kwh: number): string => t('unit.kwh', { n: formatNumber(kwh, 0, 2) });
/** Gas or water, to at most three decimals. */
export const formatM3 = (m3: number): string => t('unit.m3', { n: formatNumber(m3, 0, 3) });

export function formatUnits(units: number): string {
  return t('format.units', { count: units });
}

/** Money in the tariff's currency; two decimals, more when a unit is worth less than a cent. */
export function formatMoney(amount: number, currency: string): string {
  const digits = amount !== 0 && Math.abs(amount) < 0.01 ? 4 : 2;
  try {
    return numbers({ style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
  } catch {
    return `${formatNumber(amount, digits)} ${currency}`; // a code Intl does not know
  }
}

/** The exact cost of a number of tokens: one token is one unit of expense. */
export const tokensCost = (tokens: number, tariff: TariffView): string => formatMoney(tokens * tariff.tokenValue, tariff.currency);

/** A date (and time) in the window's locale; `style` names at least one field or style (as toLocaleString's). */
export const formatDate = (ms: number | string, style: Intl.DateTimeFormatOptions): string =>
  cached('d', style, (tag) => new Intl.DateTimeFormat(tag, style)).format(new Date(ms));

/** A period's bounds by the meter's clock, as a date range. */
export function formatSpan(start: string | null, end: string | null): string {
  const day = (iso: string) => formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' });
  if (start === null) return end === null ? t('format.span.notStarted') : t('format.span.until', { end: day(end) });
  return end === null ? t('format.span.since', { start: day(start) }) : `${day(start)} – ${day(end)}`;
}

export function formatPercent(part: number, whole: number): string {
  return whole === 0 ? '—' : t('unit.percent', { n: formatNumber((100 * part) / whole, 1) });
}

/** A coarse "how long ago": the window never needs seconds (issue 7: the next payment time is not shown to the second). */
export function formatAgo(iso: string | null, now: number): string {
  if (iso === null) return t('format.ago.never');
  const s = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (s < 60) return t('format.ago.now');
  if (s < 3600) return t('format.ago.minutes', { n: Math.floor(s / 60) });
  if (s < 86_400) return t('format.ago.hours', { n: Math.floor(s / 3600) });
  return t('format.ago.days', { n: Math.floor(s / 86_400) });
}

/** A fingerprint in groups of four, the way people compare them aloud. */
export function formatFingerprint(hex: string | null): string {
  if (hex === null) return t('format.fingerprint.none');
  return (hex.toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
}

export interface Advice {
  problem: string;
  action: string;
}

/** What went wrong, in plain words, and what the household can do about it. */
export function explain(code: ApiErrorCode | 'wallet-empty' | 'meter-disconnected'): Advice {
  return { problem: t(`advice.${code}.problem`), action: t(`advice.${code}.action`) };
}

export function describeQueue(q: QueueView): string {
  if (q.blockedBy !== null) return explain(q.blockedBy).problem;
  if (q.scheduled + q.paying === 0) return t('queue.nothing');
  return t('queue.queued', { count: q.scheduled + q.paying });
}

export function describeSettlement(s: SettlementView): string {
  switch (s.kind) {
    case 'open':
      return t('settlement.state.open');
    case 'waiting': {
      const parts: string[] = [];
      if (s.missingTokens > 0) parts.push(t('settlement.state.missingTokens', { count: s.missingTokens }));
      if (s.missingReceipts > 0) parts.push(t('settlement.state.missingReceipts', { count: s.missingReceipts }));
      return parts.length > 0 ? t('settlement.state.waiting', { missing: parts.join(', ') }) : t('settlement.state.waitingBill');
    }
    case 'settled':
      return t('settlement.state.settled', { answer: s.answer });
    case 'refused':
      return t('settlement.state.refused', { reason: s.reason });
  }
}
