/**
 * The P1 timestamp TST `YYMMDDhhmmssX` (DSMR 5.0.2 §6.4): local Dutch time, X = 'W' (winter,
 * UTC+1) or 'S' (summer, UTC+2); some meters send it lower-case. DSMR 2.2 profile lines have no X:
 * the offset then follows the EU summer-time rule. Pure: the instant is an argument, never the clock.
 * @module
 */
export interface P1Time {
  /** As on the wire, the W/S flag upper-cased. */
  raw: string;
  /** The instant in UTC (ISO 8601, seconds), or null when the raw value is not a real instant. */
  utc: string | null;
}

const TST = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([WSws]?)$/;

/** Decodes a TST; utc is null when the digits are not a real date (meters send placeholders). */
export function decodeP1Time(wire: string): P1Time | null {
  const m = TST.exec(wire);
  if (!m) return null;
  const raw = wire.toUpperCase();
  const [yy, mo, dd, hh, mi, ss] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const local = Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss);
  const back = new Date(local);
  const real =
    back.getUTCMonth() === mo - 1 && back.getUTCDate() === dd && back.getUTCHours() === hh && back.getUTCMinutes() === mi && back.getUTCSeconds() === ss;
  if (!real) return { raw, utc: null };
  const flag = m[7]!.toUpperCase() || (isSummer(local - 2 * 3_600_000) ? 'S' : 'W');
  const utc = new Date(local - (flag === 'S' ? 2 : 1) * 3_600_000);
  return { raw, utc: utc.toISOString().replace('.000Z', 'Z') };
}

/** Last Sunday of a month, 01:00 UTC: when EU summer time starts (March) or ends (October). */
function euSwitch(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

function isSummer(utcMs: number): boolean {
  const year = new Date(utcMs).getUTCFullYear();
  return utcMs >= euSwitch(year, 2) && utcMs < euSwitch(year, 9);
}

/** Encodes an instant (ms since the epoch, UTC) as the TST a Dutch meter shows for it. */
export function encodeP1Time(utcMs: number): string {
  if (!Number.isFinite(utcMs)) throw new RangeError('"utcMs" must be a finite number');
  const summer = isSummer(utcMs);
  const local = new Date(utcMs + (summer ? 2 : 1) * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    two(local.getUTCFullYear() % 100) + two(local.getUTCMonth() + 1) + two(local.getUTCDate()) +
    two(local.getUTCHours()) + two(local.getUTCMinutes()) + two(local.getUTCSeconds()) + (summer ? 'S' : 'W')
  );
}
