/** Wallet: balance, proofs in stock, top-up with progress, receive e-cash, withdraw to Lightning, and the backup reminder. */
import { useState } from 'preact/hooks';
import type { TopUpView } from '../../main/api/index.js';
import { formatUnits } from '../state/format.js';
import { LOW_STOCK } from '../state/notify.js';
import { useApp, useCall } from './context.js';
import { Advice, CallFailed, Card, Stat } from './parts.js';
import { ReceiveForm } from './receive.js';
import { WithdrawForm } from './withdraw.js';

const STAGES: TopUpView['state'][] = ['quoted', 'paid', 'minted'];
const STAGE_WORDS: Record<TopUpView['state'], string> = {
  quoted: 'Asked the mint for an invoice',
  paid: 'Invoice paid, receiving e-cash',
  minted: 'Done: e-cash is in your wallet',
  failed: 'The top-up failed',
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
      <Card title="Top up">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) void call.run(api.topUp(Number(units)), (p) => dispatch({ kind: 'event', event: { kind: 'top-up', progress: p }, at: Date.now() }));
          }}
        >
          <div class="row">
            <div>
              <label for="topup-units">Units to add</label>
              <input id="topup-units" inputMode="numeric" value={units} aria-invalid={!valid} onInput={(e) => setUnits(e.currentTarget.value)} />
            </div>
            <button type="submit" class="primary" disabled={!valid || call.busy}>Top up</button>
          </div>
        </form>
        {progress !== null && (
          <div role="status" aria-live="polite">
            <p>{STAGE_WORDS[progress.state]} ({formatUnits(progress.units)})</p>
            {progress.state !== 'failed' && (
              <progress aria-label="Top-up progress" max={STAGES.length} value={STAGES.indexOf(progress.state) + 1} />
            )}
          </div>
        )}
        <CallFailed error={call.error} />
        <p class="muted">Mint: <code>{wallet.mintUrl}</code></p>
      </Card>
      <ReceiveForm />
      <WithdrawForm />
    </>
  );
}
