/** Settlement: per period, the bill, the receipts, and the utility's answer, or what is still missing. */
import { useState } from 'preact/hooks';
import type { PeriodView } from '../../main/api/index.js';
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
      <th scope="row">Period {p.period}</th>
      <td>{formatSpan(p.start, p.end)}</td>
      <td>{state.tariff === null ? formatUnits(p.tokens) : `${tokensCost(p.tokens, state.tariff)} (${formatUnits(p.tokens)})`}</td>
      <td>{p.bill.received ? (p.bill.fault ? 'received, faulty' : `received (${p.bill.count ?? '?'} units)`) : 'not yet'}</td>
      <td>{complete ? `all ${p.tokens} present` : `${p.paid} of ${p.tokens}`}</td>
      <td>{describeSettlement(p.settlement)}<CallFailed error={call.error} /></td>
      <td class="row">
        {p.settlement.kind !== 'settled' && !confirming && (
          <button type="button" class="secondary" disabled={call.busy || !p.bill.received}
            aria-label={`Settle now, ignoring the timing policy: period ${p.period}`}
            onClick={() => setConfirming(true)}>
            Settle now, ignoring the timing policy
          </button>
        )}
        {p.settlement.kind !== 'settled' && confirming && (
          // Settling at once skips the random time in the grace window (docs/timing-privacy.md): the user decides.
          <div class="note warn" role="group" aria-label={`Settle period ${p.period} now?`}>
            <p>
              <strong>Settling now ignores the timing policy.</strong> The utility would get the settlement right after
              your last payments, which helps it link them to you. Left alone, Sipster Home settles by itself at a
              random time before the period's deadline.
            </p>
            <button type="button" class="primary" disabled={call.busy} onClick={settleNow}>Settle now anyway</button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>Keep the paced settlement</button>
          </div>
        )}
        <button type="button" class="secondary" disabled={call.busy} aria-label={`Export the evidence of period ${p.period}`}
          onClick={() => void call.run(api.exportReceipts(p.period), (x) => saveFile(`sipster-period-${p.period}-evidence.json`, JSON.stringify(x, null, 2), 'application/json'))}>
          Export
        </button>
      </td>
    </tr>
  );
}

export function Settlement() {
  const { state } = useApp();
  return (
    <>
      <h1>Settlement</h1>
      <p>At the end of each period the meter sends the bill. When every token of the period has a verified receipt, Sipster Home combines them into one proof and the utility checks it.</p>
      {state.periods.length === 0 ? (
        <p>No period yet.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Billing periods</caption>
          <thead>
            <tr>
              <th scope="col">Period</th><th scope="col">Dates (meter clock)</th><th scope="col">Cost</th><th scope="col">Bill</th><th scope="col">Receipts</th><th scope="col">State</th><th scope="col">Actions</th>
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
