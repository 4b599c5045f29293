/**
 * Numbers and plain words for the window. Units are the utility's billing units: one token is one unit owed,
 * one 1-unit proof pays it (protocol.md §Payment).
 * @module
 */
import type { ApiErrorCode, QueueView, SettlementView, TariffView } from '../../main/api/index.js';

const nf = (digits: number) => new Intl.NumberFormat('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const int = nf(0);
const one = nf(1);
const two = nf(2);

export function formatPower(watts: number): string {
  return Math.abs(watts) >= 1000 ? `${two.format(watts / 1000)} kW` : `${int.format(watts)} W`;
}

export function formatEnergy(wh: number): string {
  return Math.abs(wh) >= 1000 ? `${two.format(wh / 1000)} kWh` : `${int.format(wh)} Wh`;
}

export function formatUnits(units: number): string {
  return `${int.format(units)} ${units === 1 ? 'unit' : 'units'}`;
}

/** Money in the tariff's currency; two decimals, more when a unit is worth less than a cent. */
export function formatMoney(amount: number, currency: string): string {
  const digits = amount !== 0 && Math.abs(amount) < 0.01 ? 4 : 2;
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
  } catch {
    return `${nf(digits).format(amount)} ${currency}`; // a code Intl does not know
  }
}

/** The exact cost of a number of tokens: one token is one unit of expense. */
export const tokensCost = (tokens: number, t: TariffView): string => formatMoney(tokens * t.tokenValue, t.currency);

/** A period's bounds by the meter's clock, as a date range. */
export function formatSpan(start: string | null, end: string | null): string {
  const day = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  if (start === null) return end === null ? 'not started yet' : `until ${day(end)}`;
  return end === null ? `since ${day(start)}` : `${day(start)} – ${day(end)}`;
}

export function formatPercent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${one.format((100 * part) / whole)} %`;
}

/** A coarse "how long ago": the window never needs seconds (issue 7: the next payment time is not shown to the second). */
export function formatAgo(iso: string | null, now: number): string {
  if (iso === null) return 'never';
  const s = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** A fingerprint in groups of four, the way people compare them aloud. */
export function formatFingerprint(hex: string | null): string {
  if (hex === null) return 'not yet contacted';
  return (hex.toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
}

export interface Advice {
  problem: string;
  action: string;
}

/** What went wrong, in plain words, and what the household can do about it. */
export function explain(code: ApiErrorCode | 'wallet-empty' | 'meter-disconnected'): Advice {
  switch (code) {
    case 'meter-disconnected':
      return { problem: 'The meter is not sending data.', action: 'Check that the P1 cable is plugged into the meter and the computer.' };
    case 'proxy-refused':
      return { problem: 'Tor is not ready, so nothing is sent.', action: 'Start Tor (or Tor Browser) and check the proxy in Settings.' };
    case 'uc-unreachable':
      return { problem: 'The utility cannot be reached right now.', action: 'Nothing to do: payments wait and resume by themselves.' };
    case 'uc-key-changed':
      return { problem: "The utility's key is not the one pinned at first contact.", action: 'Do not continue; call your utility and compare the fingerprint.' };
    case 'mint-changed':
      return {
        problem: 'The utility now names another e-cash mint than the one it named at first contact, so payments are stopped: a mint chosen for this household alone would let it link all of your payments.',
        action: 'Call your utility. If it confirms the new mint, name the utility again in Settings to accept it; otherwise do not continue.',
      };
    case 'dleq-invalid':
      return {
        problem: 'The e-cash mint signed coins without the proof that it used its public key, so they were not counted: a mint that can recognise your coins could link your payments.',
        action: 'Do not top up at this mint. Tell your utility; the coins are recovered if the mint later proves them.',
      };
    case 'receipt-invalid':
      return { problem: 'The utility answered with a receipt that does not verify.', action: 'Export the period for your utility; payments of that token are held.' };
    case 'coin-rejected':
      return { problem: 'The utility refused an e-cash coin.', action: 'Check your wallet with the mint, then retry.' };
    case 'wallet-empty':
      return { problem: 'The wallet is empty, so payments wait.', action: 'Top up the wallet.' };
    case 'mint-unreachable':
      return { problem: 'The e-cash mint cannot be reached.', action: 'Check Tor, then try again later.' };
    case 'other-mint':
      return { problem: 'That e-cash is from another mint than your wallet\'s, so it was not taken.', action: 'Ask the sender for e-cash of your wallet\'s mint, or a Lightning payment.' };
    case 'token-spent':
      return { problem: 'That e-cash was already spent: received before, here or in another wallet.', action: 'Ask the sender for a new token.' };
    case 'withdraw-failed':
      return { problem: 'The mint did not pay the invoice; nothing left your wallet.', action: 'Check the invoice (amount, expiry) and try again, or ask for a new one.' };
    case 'tor-not-ready':
      return { problem: 'Tor is still starting, so nothing is sent yet.', action: 'Wait a moment: payments start by themselves once Tor is ready.' };
    case 'uc-error':
      return { problem: 'The utility answered with an error.', action: 'Nothing is lost: payments wait and are tried again. If it lasts, call your utility.' };
    case 'disk-full':
      return { problem: 'The disk is full, so nothing new can be saved.', action: 'Free some space on this computer; Sipster Home continues by itself.' };
    case 'database-locked':
      return { problem: 'Another program is using the wallet file.', action: 'Close any other copy of Sipster Home or program that opened the data folder.' };
    case 'seed-already-shown':
      return { problem: 'The recovery phrase was already shown once.', action: 'Use the copy you wrote down.' };
    case 'db-from-future':
      return { problem: 'The wallet was written by a newer version of Sipster Home.', action: 'Install the newer version again.' };
    case 'wallet-locked':
      return { problem: 'The wallet is locked: its key was not given or is not this wallet\'s.', action: 'Start Sipster Home with your passphrase (--passphrase-file), or from the desktop app that keeps its key.' };
    case 'not-found':
      return { problem: 'That item does not exist.', action: 'Refresh and try again.' };
    case 'bad-request':
      return { problem: 'The request was not accepted.', action: 'Check the values you entered.' };
    case 'internal':
      return { problem: 'Something went wrong inside the app.', action: 'Restart Sipster Home; your wallet is safe on disk.' };
  }
}

export function describeQueue(q: QueueView): string {
  if (q.blockedBy !== null) return explain(q.blockedBy).problem;
  if (q.scheduled + q.paying === 0) return 'Nothing waiting: every token so far is paid.';
  return `${q.scheduled + q.paying} ${q.scheduled + q.paying === 1 ? 'payment' : 'payments'} queued, sent at random times.`;
}

export function describeSettlement(s: SettlementView): string {
  switch (s.kind) {
    case 'open':
      return 'Period running';
    case 'waiting': {
      const parts: string[] = [];
      if (s.missingTokens > 0) parts.push(`${s.missingTokens} ${s.missingTokens === 1 ? 'token' : 'tokens'} not received yet`);
      if (s.missingReceipts > 0) parts.push(`${s.missingReceipts} ${s.missingReceipts === 1 ? 'receipt' : 'receipts'} missing`);
      return parts.length > 0 ? `Waiting: ${parts.join(', ')}` : 'Waiting for the bill';
    }
    case 'settled':
      return `Settled (the utility answered “${s.answer}”)`;
    case 'refused':
      return `Refused by the utility: ${s.reason}`;
  }
}
