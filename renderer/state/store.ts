/**
 * The window's state: what the engine last said, folded from replies and pushed events by one pure reducer.
 * Counts only: no token bytes, receipts or indexes ever enter it (main/api's privacy note).
 * @module
 */
import type { ApiErrorCode, EngineEvent, EngineStatus, PeriodView, ReadingView, SettlementView, TariffView, TopUpView } from '../../main/api/index.js';
import { t } from '../i18n/index.js';

/** Enough for a period at one reading every few minutes; older readings are dropped first. */
export const MAX_READINGS = 50_000;
const MAX_LOG = 200;
const MAX_ALARMS = 20;

export interface AlarmEntry {
  code: ApiErrorCode;
  message: string;
  at: number;
}

/** One line of the window's own activity log: event kind and period, nothing private. */
export interface LogEntry {
  at: number;
  text: string;
}

export interface AppState {
  status: EngineStatus | null;
  periods: PeriodView[];
  readings: ReadingView[];
  topUp: TopUpView | null;
  /** Prices to show cost with; null until loaded. */
  tariff: TariffView | null;
  alarms: AlarmEntry[];
  log: LogEntry[];
  /** Set by events that change period counts: the app refetches the periods, then clears it. */
  periodsStale: boolean;
  /** Tokens received since the window opened (`token-paid` may stand for several tokens: the engine sends one a round). */
  session: { received: number };
  connection: 'connecting' | 'open' | 'lost';
}

export const initialState: AppState = {
  status: null,
  periods: [],
  readings: [],
  topUp: null,
  tariff: null,
  alarms: [],
  log: [],
  periodsStale: false,
  session: { received: 0 },
  connection: 'connecting',
};

export type Action =
  | { kind: 'event'; event: EngineEvent; at: number }
  | { kind: 'loaded-status'; status: EngineStatus }
  | { kind: 'loaded-periods'; periods: PeriodView[] }
  | { kind: 'loaded-readings'; readings: ReadingView[] }
  | { kind: 'loaded-settlement'; period: number; settlement: SettlementView }
  | { kind: 'loaded-tariff'; tariff: TariffView }
  | { kind: 'connection'; state: AppState['connection'] }
  | { kind: 'dismiss-alarms' };

const capped = <T>(xs: T[], max: number): T[] => (xs.length > max ? xs.slice(xs.length - max) : xs);

function logLine(e: EngineEvent): string | null {
  switch (e.kind) {
    case 'token-received':
      return t('log.tokenReceived', { period: e.period });
    case 'token-paid':
      return t('log.tokenPaid', { period: e.period });
    case 'bill-received':
      return t('log.billReceived', { period: e.period });
    case 'period-settled':
      return t('log.periodSettled', { period: e.period });
    case 'settlement-waiting':
      return t('log.settlementWaiting', { period: e.period, count: e.missingTokens + e.missingReceipts });
    case 'top-up':
      return t('log.topUp', { units: e.progress.units, state: e.progress.state });
    case 'proxy':
      return t('log.proxy', { state: e.proxy.state });
    case 'alarm':
      return t('log.alarm', { code: e.code });
    case 'meter':
      return t('log.meter', { state: e.meter.state });
    case 'recovery':
      return t('log.recovery', { state: e.recovery.state });
    case 'tor':
      return e.tor.state === 'bootstrapping' ? null : t('log.tor', { state: e.tor.state });
    case 'status':
    case 'reading':
    case 'wallet':
      return null;
  }
}

const withSettlement = (s: AppState, period: number, settlement: SettlementView): AppState => ({
  ...s,
  periods: s.periods.map((p) => (p.period === period ? { ...p, settlement } : p)),
});

function onEvent(s: AppState, e: EngineEvent, at: number): AppState {
  const line = logLine(e);
  const next = line === null ? s : { ...s, log: capped([...s.log, { at, text: line }], MAX_LOG) };
  switch (e.kind) {
    case 'status':
      return { ...next, status: e.status };
    case 'reading':
      return { ...next, readings: capped([...s.readings, e.reading], MAX_READINGS) };
    case 'token-received':
      return { ...next, periodsStale: true, session: { received: s.session.received + 1 } };
    case 'token-paid':
      return { ...next, periodsStale: true };
    case 'bill-received':
      return { ...next, periodsStale: true };
    case 'period-settled':
      return withSettlement({ ...next, periodsStale: true }, e.period, { kind: 'settled', at: new Date(at).toISOString(), answer: e.answer });
    case 'settlement-waiting':
      return withSettlement(next, e.period, { kind: 'waiting', missingTokens: e.missingTokens, missingReceipts: e.missingReceipts });
    case 'top-up':
      return {
        ...next,
        topUp: e.progress,
        status: s.status && { ...s.status, wallet: { ...s.status.wallet, balance: e.progress.balance } },
      };
    case 'wallet':
      return { ...next, status: s.status && { ...s.status, wallet: e.wallet } };
    case 'proxy':
      return { ...next, status: s.status && { ...s.status, proxy: e.proxy } };
    case 'tor':
      return { ...next, status: s.status && { ...s.status, proxy: { ...s.status.proxy, tor: e.tor } } };
    case 'meter':
      return { ...next, status: s.status && { ...s.status, meter: e.meter } };
    case 'recovery':
      return { ...next, status: s.status && { ...s.status, recovery: e.recovery } };
    case 'alarm':
      return { ...next, alarms: capped([...s.alarms, { code: e.code, message: e.message, at }], MAX_ALARMS) };
  }
}

export function reduce(s: AppState, a: Action): AppState {
  switch (a.kind) {
    case 'event':
      return onEvent(s, a.event, a.at);
    case 'loaded-status':
      return { ...s, status: a.status };
    case 'loaded-periods':
      return { ...s, periods: [...a.periods].sort((x, y) => y.period - x.period), periodsStale: false };
    case 'loaded-readings':
      return { ...s, readings: capped(a.readings, MAX_READINGS) };
    case 'loaded-settlement':
      return withSettlement({ ...s, periodsStale: true }, a.period, a.settlement);
    case 'loaded-tariff':
      return { ...s, tariff: a.tariff };
    case 'connection':
      return { ...s, connection: a.state };
    case 'dismiss-alarms':
      return { ...s, alarms: [] };
  }
}

/** The period the household is in now: the highest number the engine knows. */
export function currentPeriod(s: AppState): PeriodView | null {
  return s.periods[0] ?? null;
}
