/** Wallet: balance, proofs in stock, top-up (top-up.tsx), receive e-cash, withdraw to Lightning, and the backup reminder. */
import { rich, t } from '../i18n/index.js';
import { formatNumber, formatUnits } from '../state/format.js';
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
      <h1>{t('nav.wallet')}</h1>
      {!wallet.backedUp && (
        <div class="note warn" role="alert">
          <p>{rich('wallet.notBackedUp', { strong: (c) => <strong>{c}</strong> })}</p>
        </div>
      )}
      {wallet.stock < LOW_STOCK && <Advice code="wallet-empty" tone="warn" detail={t('wallet.lowStock', { count: wallet.stock })} />}
      <div class="grid">
        <Stat label={t('wallet.balance')} value={formatUnits(wallet.balance)} />
        <Stat label={t('wallet.stock')} value={formatNumber(wallet.stock, 0)} hint={t('wallet.stockHint')} />
        <Stat label={t('wallet.reserved')} value={formatNumber(wallet.reserved, 0)} />
        <Stat label={t('wallet.spent')} value={formatNumber(wallet.spent, 0)} />
      </div>
      <TopUp />
      <ReceiveForm />
      <WithdrawForm />
    </>
  );
}
