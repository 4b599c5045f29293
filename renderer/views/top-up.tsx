/**
 * Top up (issue 14 §3): the amounts everyone uses by default, another amount with a plain warning, and the
 * Lightning invoice to pay: its text, a QR code (drawn here as SVG from `qrcode`'s module matrix: no canvas, no
 * Node, no HTML injected), a copy button, the time left, and the plain word when it expired.
 */
import { create as createQr } from 'qrcode';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { TopUpView } from '../../main/api/index.js';
import { rich, t, type MessageKey } from '../i18n/index.js';
import { formatNumber, formatUnits } from '../state/format.js';
import { useApp, useCall } from './context.js';
import { CallFailed, Card } from './parts.js';

const STAGES: TopUpView['state'][] = ['quoted', 'paid', 'minted'];
const STAGE_WORDS: Record<TopUpView['state'], MessageKey> = {
  quoted: 'wallet.stage.quoted',
  paid: 'wallet.stage.paid',
  minted: 'wallet.stage.minted',
  failed: 'wallet.stage.failed',
  expired: 'wallet.stage.expired',
};
const OTHER = 'other';

/** The invoice as a QR code: one SVG path over the dark modules, with the 4-module quiet zone QR readers need. */
function InvoiceQr({ request }: { request: string }) {
  const d = useMemo(() => {
    // BOLT-11 is case-insensitive: upper case fits QR's alphanumeric mode, a smaller code.
    const { modules } = createQr(request.toUpperCase(), { errorCorrectionLevel: 'M' });
    let path = '';
    for (let y = 0; y < modules.size; y++)
      for (let x = 0; x < modules.size; x++) if (modules.get(y, x)) path += `M${x + 4} ${y + 4}h1v1h-1z`;
    return { path, size: modules.size + 8 };
  }, [request]);
  return (
    <svg class="qr" role="img" aria-label={t('topUp.qr')} viewBox={`0 0 ${d.size} ${d.size}`} width="240" height="240" shape-rendering="crispEdges">
      <rect width={d.size} height={d.size} fill="#fff" />
      <path d={d.path} fill="#000" />
    </svg>
  );
}

function timeLeft(expiry: number, now: number): string {
  const s = Math.max(0, expiry - Math.floor(now / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? t('topUp.hoursLeft', { h, m: String(m).padStart(2, '0') }) : `${m}:${sec}`;
}

/** The invoice of a top-up that waits to be paid, until it is paid or expires. */
function Invoice({ topUp }: { topUp: TopUpView & { request: string } }) {
  const [now, setNow] = useState(Date.now());
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const expired = topUp.expiry !== null && topUp.expiry * 1000 <= now;
  if (expired) return <p class="note warn" role="alert">{t(STAGE_WORDS.expired)}</p>;
  return (
    <div class="invoice">
      <p>
        {rich('topUp.pay', { strong: (c) => <strong>{c}</strong> }, { units: formatUnits(topUp.units), sat: formatNumber(topUp.units, 0) })}
        {topUp.expiry !== null && <> {rich('topUp.timeLeft', { strong: (c) => <strong aria-live="off">{c}</strong> }, { left: timeLeft(topUp.expiry, now) })}</>}
      </p>
      <InvoiceQr request={topUp.request} />
      <label for="topup-invoice">{t('topUp.invoice')}</label>
      <textarea id="topup-invoice" readOnly rows={4} value={topUp.request} onFocus={(e) => e.currentTarget.select()} />
      <div class="row">
        <button type="button" onClick={() => void navigator.clipboard.writeText(topUp.request).then(() => setCopied('yes'), () => setCopied('failed'))}>
          {t('topUp.copy')}
        </button>
        <span role="status">{copied === 'yes' ? t('topUp.copied') : copied === 'failed' ? t('topUp.copyFailed') : ''}</span>
      </div>
    </div>
  );
}

export function TopUp() {
  const { api, state, dispatch } = useApp();
  const wallet = state.status!.wallet;
  const amounts = wallet.topUpAmounts;
  const [choice, setChoice] = useState(String(amounts[0] ?? OTHER));
  const [other, setOther] = useState('');
  const call = useCall();
  const units = choice === OTHER ? other : choice;
  const valid = /^\d+$/.test(units) && Number(units) > 0 && Number(units) <= 1_000_000;
  const progress = state.topUp ?? wallet.waitingTopUp;

  return (
    <Card title={t('wallet.topUp')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) void call.run(api.topUp(Number(units)), (p) => dispatch({ kind: 'event', event: { kind: 'top-up', progress: p }, at: Date.now() }));
        }}
      >
        <fieldset>
          <legend>{t('topUp.amount')}</legend>
          {amounts.map((a) => (
            <label key={a} class="choice">
              <input type="radio" name="topup-amount" value={String(a)} checked={choice === String(a)} onChange={() => setChoice(String(a))} /> {formatUnits(a)}
            </label>
          ))}
          <label class="choice">
            <input type="radio" name="topup-amount" value={OTHER} checked={choice === OTHER} onChange={() => setChoice(OTHER)} /> {t('topUp.other')}
          </label>
          {choice === OTHER && (
            <>
              <label for="topup-units">{t('wallet.unitsToAdd')}</label>
              <input id="topup-units" inputMode="numeric" value={other} aria-invalid={!valid} aria-describedby="topup-unusual" onInput={(e) => setOther(e.currentTarget.value)} />
              <p id="topup-unusual" class="note warn">
                {t('topUp.unusual')}
              </p>
            </>
          )}
        </fieldset>
        <button type="submit" class="primary" disabled={!valid || call.busy}>{t('wallet.topUp')}</button>
      </form>
      {progress !== null && (
        <div role="status" aria-live="polite">
          {progress.state !== 'expired' && <p>{t('wallet.progress', { stage: t(STAGE_WORDS[progress.state]), units: formatUnits(progress.units) })}</p>}
          {progress.state !== 'failed' && progress.state !== 'expired' && (
            <progress aria-label={t('wallet.progressLabel')} max={STAGES.length} value={STAGES.indexOf(progress.state) + 1} />
          )}
          {progress.state === 'expired' && <p class="note warn">{t(STAGE_WORDS.expired)}</p>}
        </div>
      )}
      {progress?.state === 'quoted' && progress.request !== null && <Invoice topUp={{ ...progress, request: progress.request }} />}
      <CallFailed error={call.error} />
      <p class="muted">{rich('wallet.mint', { code: (c) => <code>{c}</code> }, { url: wallet.mintUrl })}</p>
    </Card>
  );
}
