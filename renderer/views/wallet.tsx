/** Wallet: balance, proofs in stock, top-up with progress, and the backup reminder. */
import { useState } from 'preact/hooks';
import type { TopUpView } from '../../main/api/index.js';
import { rich, t, type MessageKey } from '../i18n/index.js';
import { formatNumber, formatUnits } from '../state/format.js';
import { LOW_STOCK } from '../state/notify.js';
import { useApp, useCall } from './context.js';
import { Advice, CallFailed, Card, Stat } from './parts.js';

const STAGES: TopUpView['state'][] = ['quoted', 'paid', 'minted'];
const STAGE_WORDS: Record<TopUpView['state'], MessageKey> = {
  quoted: 'wallet.stage.quoted',
  paid: 'wallet.stage.paid',
  minted: 'wallet.stage.minted',
  failed: 'wallet.stage.failed',
};

export function Wallet() {
  const { api, state, dispatch } = useApp();
  const wallet = state.status!.wallet;
  const [units, setUnits] = useState('100');
  const call = useCall();
  const progress = state.topUp;
  const valid = /^\d+$/.test(units) && Number(units) > 0;

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
      <Card title={t('wallet.topUp')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) void call.run(api.topUp(Number(units)), (p) => dispatch({ kind: 'event', event: { kind: 'top-up', progress: p }, at: Date.now() }));
          }}
        >
          <div class="row">
            <div>
              <label for="topup-units">{t('wallet.unitsToAdd')}</label>
              <input id="topup-units" inputMode="numeric" value={units} aria-invalid={!valid} onInput={(e) => setUnits(e.currentTarget.value)} />
            </div>
            <button type="submit" class="primary" disabled={!valid || call.busy}>{t('wallet.topUp')}</button>
          </div>
        </form>
        {progress !== null && (
          <div role="status" aria-live="polite">
            <p>{t('wallet.progress', { stage: t(STAGE_WORDS[progress.state]), units: formatUnits(progress.units) })}</p>
            {progress.state !== 'failed' && (
              <progress aria-label={t('wallet.progressLabel')} max={STAGES.length} value={STAGES.indexOf(progress.state) + 1} />
            )}
          </div>
        )}
        <CallFailed error={call.error} />
        <p class="muted">{rich('wallet.mint', { code: (c) => <code>{c}</code> }, { url: wallet.mintUrl })}</p>
      </Card>
    </>
  );
}
