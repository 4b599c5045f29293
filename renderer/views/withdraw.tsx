/**
 * Withdraw: paste a Lightning invoice; the mint's amount and fee reserve are shown before anything is spent, and the
 * part of the reserve the payment does not use comes back as change.
 */
import { useState } from 'preact/hooks';
import type { WithdrawQuoteView, WithdrawView } from '../../main/api/index.js';
import { formatUnits } from '../state/format.js';
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
    <Card title="Withdraw to Lightning">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setDone(null);
          if (filled) void call.run(api.quoteWithdraw(invoice), setQuote);
        }}
      >
        <label for="withdraw-invoice">Lightning invoice (starts with lnbc)</label>
        <textarea id="withdraw-invoice" rows={3} autocomplete="off" spellcheck={false} value={invoice}
          onInput={(e) => { setInvoice(e.currentTarget.value); setQuote(null); }} />
        <button type="submit" class="secondary" disabled={!filled || call.busy}>Check the invoice</button>
      </form>
      {quote !== null && (
        <div role="group" aria-labelledby="withdraw-summary">
          <p id="withdraw-summary">
            Pay {formatUnits(quote.amount)}, plus at most {formatUnits(quote.feeReserve)} for routing (what is not used comes back).
            The mint's offer ends at {new Date(quote.expiresAt).toLocaleTimeString()}.
          </p>
          {short && <p class="note warn">Your wallet holds {formatUnits(quote.balance)}: not enough for this invoice with its fee reserve.</p>}
          <div class="row">
            <button type="button" class="primary" disabled={short || call.busy}
              onClick={() => void call.run(api.withdraw(quote.quote), (v) => { setDone(v); setQuote(null); setInvoice(''); })}>
              {call.busy ? 'Paying…' : `Pay ${formatUnits(quote.amount)}`}
            </button>
            <button type="button" class="secondary" disabled={call.busy} onClick={() => setQuote(null)}>Cancel</button>
          </div>
        </div>
      )}
      {done !== null && (
        <p role="status">
          {done.state === 'paid'
            ? `Paid ${formatUnits(done.amount)}; routing cost ${formatUnits(done.feePaid ?? 0)}, ${formatUnits(done.change ?? 0)} came back. Your balance is now ${formatUnits(done.balance)}.`
            : `The mint is still paying ${formatUnits(done.amount)}. The e-cash it holds for this payment is set aside; the app asks the mint again by itself.`}
        </p>
      )}
      <CallFailed error={call.error} />
    </Card>
  );
}
