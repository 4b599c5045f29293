/** Wallet: balance, proofs in stock, top-up (top-up.tsx), receive e-cash, withdraw to Lightning, and the backup reminder. */
import { formatUnits } from '../state/format.js';
import { LOW_STOCK } from '../state/notify.js';
import { useApp } from './context.js';
import { Advice, Stat } from './parts.js';
import { ReceiveForm } from './receive.js';
import { TopUp } from './top-up.js';
import { WithdrawForm } from './withdraw.js';

export function Wallet() {
  const { state } = useApp();
  const wallet = state.status!.wallet;

  return (
    <>
      <h1>Wallet</h1>
      {!wallet.backedUp && (
        <div class="note warn" role="alert">
          <p><strong>Your recovery phrase is not confirmed.</strong> Without it, e-cash on this computer cannot be restored.</p>
        </div>
      )}
      {wallet.stock < LOW_STOCK && <Advice code="wallet-empty" tone="warn" detail={`Only ${wallet.stock} payments left in stock.`} />}
      <div class="grid">
        <Stat label="Balance" value={formatUnits(wallet.balance)} />
        <Stat label="Ready to pay (1-unit proofs)" value={String(wallet.stock)} hint="Split ahead of time, never at the moment of a payment." />
        <Stat label="In payments under way" value={String(wallet.reserved)} />
        <Stat label="Spent" value={String(wallet.spent)} />
      </div>
      <TopUp />
      <ReceiveForm />
      <WithdrawForm />
    </>
  );
}
