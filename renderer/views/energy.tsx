/**
 * Energy: the stored history (issue 12 §2) by day, week, month or year, with previous and next; bars of import and
 * export side by side, gas and water when the meter sends them, estimated cost per bar; against the previous
 * stretch and against the same stretch a year before (its import as a third bar); the shown buckets saved as CSV.
 * The numbers are the engine's exact buckets; the table beside the bars holds the same numbers.
 */
import { useEffect, useState } from 'preact/hooks';
import type { HistoryBucketView } from '../../main/api/index.js';
import { BAR_OF, SPANS, type EnergySpan, barLabel, slotCount, slotOf, spanRange, spanTitle, totalsOf, yearBefore } from '../state/energy.js';
import { formatMoney } from '../state/format.js';
import { meterNow } from '../state/series.js';
import { useApp, useCall } from './context.js';
import { Card, CallFailed, Stat } from './parts.js';
import { saveFile } from './save-file.js';

const kwh = (n: number) => `${n.toLocaleString('en-GB', { maximumFractionDigits: 2 })} kWh`;
const m3 = (n: number) => `${n.toLocaleString('en-GB', { maximumFractionDigits: 3 })} m³`;
const iso = (ms: number) => new Date(ms).toISOString();
/** The view's first day in this computer's time, for the saved file's name (2026-03-18). */
const fileDate = (ms: number) => new Date(ms).toLocaleDateString('sv-SE');

/** Bars by their place in the view (an hour, a day, a month), so a missing bucket leaves a gap; last year's import beside. */
function Bars({ span, range, buckets, lastYear }: { span: EnergySpan; range: { from: number; to: number }; buckets: HistoryBucketView[]; lastYear: HistoryBucketView[] }) {
  const max = Math.max(0.001, ...buckets.flatMap((b) => [b.importKwh, b.exportKwh]), ...lastYear.map((b) => b.importKwh));
  const w = 100 / slotCount(span, range);
  const back = yearBefore(span, range.from).from;
  const h = (kwh: number) => (kwh / max) * 48;
  // With last year beside: three bars a slot (last year, import, export); without: import and export.
  const [x0, bw] = lastYear.length > 0 ? [0.35, 0.28] : [0.1, 0.4];
  return (
    <svg class="bars" viewBox="0 0 100 50" preserveAspectRatio="none" aria-hidden="true">
      {lastYear.map((b) => (
        <rect key={`y${b.start}`} class="last-year" x={slotOf(span, back, b.start) * w + w * 0.07} width={w * bw} y={50 - h(b.importKwh)} height={h(b.importKwh)} />
      ))}
      {buckets.map((b) => {
        const x = slotOf(span, range.from, b.start) * w;
        return (
          <g key={b.start}>
            <rect class="import" x={x + w * x0} width={w * bw} y={50 - h(b.importKwh)} height={h(b.importKwh)}>
              <title>{`${barLabel(span, b.start)}: ${kwh(b.importKwh)} in`}</title>
            </rect>
            <rect class="export" x={x + w * (x0 + bw)} width={w * bw} y={50 - h(b.exportKwh)} height={h(b.exportKwh)} />
          </g>
        );
      })}
    </svg>
  );
}

/** "same week last year: 12 kWh", or that nothing is stored that far back. */
const lastYearHint = (span: EnergySpan, value: string | null) => (value === null ? `same ${span} last year: no readings stored` : `same ${span} last year: ${value}`);

export function Energy() {
  const { api, state } = useApp();
  const [span, setSpan] = useState<EnergySpan>('day');
  const [shift, setShift] = useState(0);
  const [buckets, setBuckets] = useState<HistoryBucketView[] | null>(null);
  const [previous, setPrevious] = useState<HistoryBucketView[]>([]);
  const [lastYear, setLastYear] = useState<HistoryBucketView[]>([]);
  const { error, run } = useCall();
  const [anchor] = useState(() => meterNow(state.readings, Date.now())); // the meter's clock, as Home (it runs fast in the demo)
  const range = spanRange(span, anchor, shift);
  const before = spanRange(span, anchor, shift - 1);
  const back = yearBefore(span, range.from);
  const query = { bucket: BAR_OF[span], from: iso(range.from), to: iso(range.to) };
  useEffect(() => {
    setBuckets(null);
    setLastYear([]);
    void run(api.getHistory(query), setBuckets);
    void api.getHistory({ bucket: 'year', from: iso(before.from), to: iso(before.to) }).then((r) => setPrevious(r.ok ? r.value : []));
    void api.getHistory({ bucket: BAR_OF[span], from: iso(back.from), to: iso(back.to) }).then((r) => setLastYear(r.ok ? r.value : []));
  }, [span, shift]);
  const t = totalsOf(buckets ?? []);
  const p = totalsOf(previous);
  const y = lastYear.length === 0 ? null : totalsOf(lastYear);
  const currency = state.tariff?.currency ?? 'EUR';
  const gas = t.gasM3 !== null;
  const water = t.waterM3 !== null;
  return (
    <>
      <h1>Energy</h1>
      <div class="toolbar">
        <div role="group" aria-label="Show">
          {SPANS.map((s) => (
            <button key={s} type="button" aria-pressed={s === span} onClick={() => { setSpan(s); setShift(0); }}>{s[0]!.toUpperCase() + s.slice(1)}</button>
          ))}
        </div>
        <div role="group" aria-label="Move">
          <button type="button" onClick={() => setShift(shift - 1)}>Previous {span}</button>
          <button type="button" disabled={shift >= 0} onClick={() => setShift(shift + 1)}>Next {span}</button>
        </div>
        <button type="button" class="secondary" disabled={buckets === null || buckets.length === 0}
          onClick={() => void run(api.exportHistoryCsv(query), (csv) => saveFile(`sipster-energy-${span}-${fileDate(range.from)}.csv`, csv, 'text/csv'))}>
          Save as CSV
        </button>
      </div>
      <h2 aria-live="polite">{spanTitle(span, range.from)}</h2>
      <CallFailed error={error} />
      <div class="grid">
        <Stat label="Imported" value={kwh(t.importKwh)} hint={`previous ${span}: ${kwh(p.importKwh)}; ${lastYearHint(span, y && kwh(y.importKwh))}`} />
        <Stat label="Exported" value={kwh(t.exportKwh)} hint={`previous ${span}: ${kwh(p.exportKwh)}; ${lastYearHint(span, y && kwh(y.exportKwh))}`} />
        {gas && <Stat label="Gas" value={m3(t.gasM3!)} hint={`previous ${span}: ${m3(p.gasM3 ?? 0)}; ${lastYearHint(span, y && m3(y.gasM3 ?? 0))}`} />}
        {water && <Stat label="Water" value={m3(t.waterM3!)} />}
        <Stat label="Estimated cost" value={t.cost === null ? '—' : formatMoney(t.cost, currency)} hint="imported energy at your prices per tariff" />
      </div>
      {t.seriesBreaks > 0 && <p class="note warn">A meter register went back here (a new meter, or a reset): the use is counted from its new value.</p>}
      <Card title={`Energy per ${BAR_OF[span]}`}>
        {buckets === null ? <p class="muted">Loading…</p> : buckets.length === 0 ? <p class="muted">No readings stored for this {span}.</p> : (
          <>
            <Bars span={span} range={range} buckets={buckets} lastYear={lastYear} />
            <p class="muted legend">{lastYear.length > 0 && <><span class="key last-year" /> imported a year before </>}<span class="key import" /> imported <span class="key export" /> exported</p>
            <table>
              <caption>Energy per {BAR_OF[span]}, {spanTitle(span, range.from)}</caption>
              <thead>
                <tr><th scope="col">{BAR_OF[span] === 'hour' ? 'Hour' : BAR_OF[span] === 'day' ? 'Day' : 'Month'}</th><th scope="col">Imported</th>{lastYear.length > 0 && <th scope="col">Imported a year before</th>}<th scope="col">Exported</th>
                  {gas && <th scope="col">Gas</th>}{water && <th scope="col">Water</th>}<th scope="col">Estimated cost</th></tr>
              </thead>
              <tbody>
                {buckets.map((b) => {
                  const a = lastYear.find((l) => slotOf(span, back.from, l.start) === slotOf(span, range.from, b.start));
                  return (
                    <tr key={b.start}>
                      <th scope="row">{barLabel(span, b.start)}</th><td>{kwh(b.importKwh)}</td>{lastYear.length > 0 && <td>{a === undefined ? '—' : kwh(a.importKwh)}</td>}<td>{kwh(b.exportKwh)}</td>
                      {gas && <td>{m3(b.gasM3 ?? 0)}</td>}{water && <td>{m3(b.waterM3 ?? 0)}</td>}
                      <td>{b.costEstimate === null ? '—' : formatMoney(b.costEstimate, currency)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        )}
      </Card>
    </>
  );
}
