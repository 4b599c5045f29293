/**
 * Withdraw: paste a Lightning invoice; the mint's amount and fee reserve are shown before anything is spent, and the
 * part of the reserve the payment does not use comes back as change.
 */
import { useState } from 'preact/hooks';
import type { WithdrawQuoteView, WithdrawView } from '../../main/api/index.js';
import { t } from '../i18n/index.js';
import { formatDate, formatUnits } from '../state/format.js';
import { useApp, useCall } from './context.js';
import { CallFailed, Card } from './parts.js';

export function WithdrawForm() {
  const { api } = useApp();
  const [invoice, setInvoice] = useState('');
  const [quote, setQuote] = useState<WithdrawQuoteView | null>(null);
  const [done, setDone] = useState<WithdrawView | null>(null);
  const call = useCall();
  const filled = invoice.trim() !== '';
  const short = quote !== null && quote.amount + quote.feeReserve > quote.balance;

  return (
    <Card title={t('withdraw.title')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setDone(null);
          if (filled) void call.run(api.quoteWithdraw(invoice), setQuote);
        }}
      >
        <label for="withdraw-invoice">{t('withdraw.invoice')}</label>
        <textarea id="withdraw-invoice" rows={3} autocomplete="off" spellcheck={false} value={invoice}
          onInput={(e) => { setInvoice(e.currentTarget.value); setQuote(null); }} />
        <button type="submit" class="secondary" disabled={!filled || call.busy}>{t('withdraw.check')}</button>
      </form>
      {quote !== null && (
        <div role="group" aria-labelledby="withdraw-summary">
          <p id="withdraw-summary">
            {t('withdraw.summary', { amount: formatUnits(quote.amount), fee: formatUnits(quote.feeReserve), time: formatDate(quote.expiresAt, { timeStyle: 'short' }) })}
          </p>
          {short && <p class="note warn">{t('withdraw.short', { balance: formatUnits(quote.balance) })}</p>}
          <div class="row">
            <button type="button" class="primary" disabled={short || call.busy}
              onClick={() => void call.run(api.withdraw(quote.quote), (v) => { setDone(v); setQuote(null); setInvoice(''); })}>
              {call.busy ? t('withdraw.paying') : t('withdraw.pay', { amount: formatUnits(quote.amount) })}
            </button>
            <button type="button" class="secondary" disabled={call.busy} onClick={() => setQuote(null)}>{t('withdraw.cancel')}</button>
          </div>
        </div>
      )}
      {done !== null && (
        <p role="status">
          {done.state === 'paid'
            ? t('withdraw.paid', { amount: formatUnits(done.amount), fee: formatUnits(done.feePaid ?? 0), change: formatUnits(done.change ?? 0), balance: formatUnits(done.balance) })
            : t('withdraw.pending', { amount: formatUnits(done.amount) })}
        </p>
      )}
      <CallFailed error={call.error} />
    </Card>
  );
}
