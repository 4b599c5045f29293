/** Settlement: per period, the bill, the receipts, and the utility's answer, or what is still missing. */
import { useState } from 'preact/hooks';
import type { PeriodView } from '../../main/api/index.js';
import { rich, t } from '../i18n/index.js';
import { describeSettlement, formatSpan, formatUnits, tokensCost } from '../state/format.js';
import { useApp, useCall } from './context.js';
import { CallFailed } from './parts.js';
import { saveFile } from './save-file.js';

function Row({ p }: { p: PeriodView }) {
  const { api, state, dispatch } = useApp();
  const call = useCall();
  const complete = p.tokens > 0 && p.paid === p.tokens;
  const [confirming, setConfirming] = useState(false);
  const settleNow = () => { setConfirming(false); void call.run(api.settle(p.period), (settlement) => dispatch({ kind: 'loaded-settlement', period: p.period, settlement })); };
  return (
    <tr>
      <th scope="row">{t('settlement.period', { period: p.period })}</th>
      <td>{formatSpan(p.start, p.end)}</td>
      <td>{state.tariff === null ? formatUnits(p.tokens) : t('settlement.costWithUnits', { cost: tokensCost(p.tokens, state.tariff), units: formatUnits(p.tokens) })}</td>
      <td>{p.bill.received ? (p.bill.fault ? t('settlement.bill.faulty') : t('settlement.bill.received', { count: p.bill.count ?? '?' })) : t('settlement.bill.notYet')}</td>
      <td>{complete ? t('settlement.receipts.all', { count: p.tokens }) : t('settlement.receipts.some', { paid: p.paid, tokens: p.tokens })}</td>
      <td>{describeSettlement(p.settlement)}<CallFailed error={call.error} /></td>
      <td class="row">
        {p.settlement.kind !== 'settled' && !confirming && (
          <button type="button" class="secondary" disabled={call.busy || !p.bill.received}
            aria-label={t('settlement.settleNowLabel', { period: p.period })}
            onClick={() => setConfirming(true)}>
            {t('settlement.settleNow')}
          </button>
        )}
        {p.settlement.kind !== 'settled' && confirming && (
          // Settling at once skips the random time in the grace window (docs/timing-privacy.md): the user decides.
          <div class="note warn" role="group" aria-label={t('settlement.confirmLabel', { period: p.period })}>
            <p>{rich('settlement.confirmText', { strong: (c) => <strong>{c}</strong> })}</p>
            <button type="button" class="primary" disabled={call.busy} onClick={settleNow}>{t('settlement.anyway')}</button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>{t('settlement.keepPaced')}</button>
          </div>
        )}
        <button type="button" class="secondary" disabled={call.busy} aria-label={t('settlement.exportLabel', { period: p.period })}
          onClick={() => void call.run(api.exportReceipts(p.period), (x) => saveFile(`sipster-period-${p.period}-evidence.json`, JSON.stringify(x, null, 2), 'application/json'))}>
          {t('settlement.export')}
        </button>
      </td>
    </tr>
  );
}

export function Settlement() {
  const { state } = useApp();
  return (
    <>
      <h1>{t('nav.settlement')}</h1>
      <p>{t('settlement.intro')}</p>
      {state.periods.length === 0 ? (
        <p>{t('settlement.noPeriod')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('settlement.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('settlement.col.period')}</th><th scope="col">{t('settlement.col.dates')}</th><th scope="col">{t('settlement.col.cost')}</th><th scope="col">{t('settlement.col.bill')}</th>
              <th scope="col">{t('settlement.col.receipts')}</th><th scope="col">{t('settlement.col.state')}</th><th scope="col">{t('settlement.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {state.periods.map((p) => <Row key={p.period} p={p} />)}
          </tbody>
        </table>
      )}
    </>
  );
}
