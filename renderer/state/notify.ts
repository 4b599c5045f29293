/**
 * Which engine events deserve a desktop notification (issue 7): wallet low, period settled, meter disconnected.
 * Each fires on the change, not on every repeat of the same state.
 * @module
 */
import type { EngineEvent, EngineStatus, WalletView } from '../../main/api/index.js';
import { t } from '../i18n/index.js';

/** Below this many 1-unit proofs in stock the household is asked to top up. */
export const LOW_STOCK = 10;

export interface Note {
  tag: 'wallet-low' | 'period-settled' | 'meter-disconnected';
  title: string;
  body: string;
}

const walletLow = (before: WalletView | undefined, after: WalletView): Note | null =>
  after.stock < LOW_STOCK && (before === undefined || before.stock >= LOW_STOCK)
    ? { tag: 'wallet-low', title: t('notify.walletLow.title'), body: t('notify.walletLow.body', { count: after.stock }) }
    : null;

const meterDisconnected = (): Note => ({ tag: 'meter-disconnected', title: t('notify.meter.title'), body: t('notify.meter.body') });

export function notesFor(before: EngineStatus | null, e: EngineEvent): Note[] {
  switch (e.kind) {
    case 'period-settled':
      return [{ tag: 'period-settled', title: t('notify.settled.title', { period: e.period }), body: t('notify.settled.body', { answer: e.answer }) }];
    case 'wallet': {
      const n = walletLow(before?.wallet, e.wallet);
      return n ? [n] : [];
    }
    case 'status': {
      const notes: Note[] = [];
      const n = walletLow(before?.wallet, e.status.wallet);
      if (n) notes.push(n);
      if (e.status.meter.state === 'disconnected' && before?.meter.state !== 'disconnected')
        notes.push(meterDisconnected());
      return notes;
    }
    case 'meter':
      return e.meter.state === 'disconnected' && before?.meter.state !== 'disconnected' ? [meterDisconnected()] : [];
    default:
      return [];
  }
}
