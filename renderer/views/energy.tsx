/**
 * Energy: the stored history (issue 12 §2) by day, week, month or year, with previous and next; bars of import and
 * export side by side, gas and water when the meter sends them, estimated cost per bar; against the previous
 * stretch. The numbers are the engine's exact buckets; the table beside the bars holds the same numbers.
 */
import { useEffect, useState } from 'preact/hooks';
import type { HistoryBucketView } from '../../main/api/index.js';
import { BAR_OF, SPANS, type EnergySpan, barLabel, spanRange, spanTitle, totalsOf } from '../state/energy.js';
import { t } from '../i18n/index.js';
import { formatKwh as kwh, formatM3 as m3, formatMoney } from '../state/format.js';
import { meterNow } from '../state/series.js';
import { useApp, useCall } from './context.js';
import { Card, CallFailed, Stat } from './parts.js';

const iso = (ms: number) => new Date(ms).toISOString();

function Bars({ span, buckets }: { span: EnergySpan; buckets: HistoryBucketView[] }) {
  const max = Math.max(0.001, ...buckets.flatMap((b) => [b.importKwh, b.exportKwh]));
  const w = 100 / Math.max(buckets.length, 1);
  return (
    <svg class="bars" viewBox="0 0 100 50" preserveAspectRatio="none" aria-hidden="true">
      {buckets.map((b, i) => (
        <g key={b.start}>
          <rect class="import" x={i * w + w * 0.1} width={w * 0.4} y={50 - (b.importKwh / max) * 48} height={(b.importKwh / max) * 48}>
            <title>{t('energy.barTitle', { bar: barLabel(span, b.start), energy: kwh(b.importKwh) })}</title>
          </rect>
          <rect class="export" x={i * w + w * 0.5} width={w * 0.4} y={50 - (b.exportKwh / max) * 48} height={(b.exportKwh / max) * 48} />
        </g>
      ))}
    </svg>
  );
}

export function Energy() {
  const { api, state } = useApp();
  const [span, setSpan] = useState<EnergySpan>('day');
  const [shift, setShift] = useState(0);
  const [buckets, setBuckets] = useState<HistoryBucketView[] | null>(null);
  const [previous, setPrevious] = useState<HistoryBucketView[]>([]);
  const { error, run } = useCall();
  const [anchor] = useState(() => meterNow(state.readings, Date.now())); // the meter's clock, as Home (it runs fast in the demo)
  const range = spanRange(span, anchor, shift);
  const before = spanRange(span, anchor, shift - 1);
  useEffect(() => {
    setBuckets(null);
    void run(api.getHistory({ bucket: BAR_OF[span], from: iso(range.from), to: iso(range.to) }), setBuckets);
    void api.getHistory({ bucket: 'year', from: iso(before.from), to: iso(before.to) }).then((r) => setPrevious(r.ok ? r.value : []));
  }, [span, shift]);
  const now = totalsOf(buckets ?? []);
  const p = totalsOf(previous);
  const currency = state.tariff?.currency ?? 'EUR';
  const gas = now.gasM3 !== null;
  const water = now.waterM3 !== null;
  return (
    <>
      <h1>{t('nav.energy')}</h1>
      <div class="toolbar">
        <div role="group" aria-label={t('common.show')}>
          {SPANS.map((s) => (
            <button key={s} type="button" aria-pressed={s === span} onClick={() => { setSpan(s); setShift(0); }}>{t('energy.span', { span: s })}</button>
          ))}
        </div>
        <div role="group" aria-label={t('energy.move')}>
          <button type="button" onClick={() => setShift(shift - 1)}>{t('energy.previous', { span })}</button>
          <button type="button" disabled={shift >= 0} onClick={() => setShift(shift + 1)}>{t('energy.next', { span })}</button>
        </div>
      </div>
      <h2 aria-live="polite">{spanTitle(span, range.from)}</h2>
      <CallFailed error={error} />
      <div class="grid">
        <Stat label={t('energy.imported')} value={kwh(now.importKwh)} hint={t('energy.previousHint', { span, value: kwh(p.importKwh) })} />
        <Stat label={t('energy.exported')} value={kwh(now.exportKwh)} hint={t('energy.previousHint', { span, value: kwh(p.exportKwh) })} />
        {gas && <Stat label={t('energy.gas')} value={m3(now.gasM3!)} hint={t('energy.previousHint', { span, value: m3(p.gasM3 ?? 0) })} />}
        {water && <Stat label={t('energy.water')} value={m3(now.waterM3!)} />}
        <Stat label={t('energy.cost')} value={now.cost === null ? '—' : formatMoney(now.cost, currency)} hint={t('energy.costHint')} />
      </div>
      {now.seriesBreaks > 0 && <p class="note warn">{t('energy.seriesBreak')}</p>}
      <Card title={t('energy.perBar', { bar: BAR_OF[span] })}>
        {buckets === null ? <p class="muted">{t('common.loading')}</p> : buckets.length === 0 ? <p class="muted">{t('energy.none', { span })}</p> : (
          <>
            <Bars span={span} buckets={buckets} />
            <p class="muted legend"><span class="key import" /> {t('energy.legend.imported')} <span class="key export" /> {t('energy.legend.exported')}</p>
            <table>
              <caption>{t('energy.caption', { bar: BAR_OF[span], title: spanTitle(span, range.from) })}</caption>
              <thead>
                <tr><th scope="col">{t('energy.barColumn', { bar: BAR_OF[span] })}</th><th scope="col">{t('energy.imported')}</th><th scope="col">{t('energy.exported')}</th>
                  {gas && <th scope="col">{t('energy.gas')}</th>}{water && <th scope="col">{t('energy.water')}</th>}<th scope="col">{t('energy.cost')}</th></tr>
              </thead>
              <tbody>
                {buckets.map((b) => (
                  <tr key={b.start}>
                    <th scope="row">{barLabel(span, b.start)}</th><td>{kwh(b.importKwh)}</td><td>{kwh(b.exportKwh)}</td>
                    {gas && <td>{m3(b.gasM3 ?? 0)}</td>}{water && <td>{m3(b.waterM3 ?? 0)}</td>}
                    <td>{b.costEstimate === null ? '—' : formatMoney(b.costEstimate, currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Card>
    </>
  );
}
