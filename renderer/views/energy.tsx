/**
 * Energy: the stored history (issue 12 §2) by day, week, month or year (by month or by day), with previous and next;
 * bars of import and export side by side, gas and water when the meter sends them, estimated cost per bar; against
 * the previous stretch and against the same stretch a year before (its import as a third bar); the shown buckets
 * saved as CSV.
 * The numbers are the engine's exact buckets; the table beside the bars holds the same numbers.
 */
import { useEffect, useState } from 'preact/hooks';
import type { HistoryBucketView, Reply } from '../../main/api/index.js';
import { SPANS, YEAR_BARS, type Bar, type EnergySpan, type YearBars, barLabel, barOf, slotCount, slotOf, spanRange, spanTitle, totalsOf, yearBefore } from '../state/energy.js';
import { t } from '../i18n/index.js';
import { formatKwh as kwh, formatM3 as m3, formatMoney } from '../state/format.js';
import { meterNow } from '../state/series.js';
import { useApp, useCall } from './context.js';
import { Card, CallFailed, Stat } from './parts.js';
import { saveFile } from './save-file.js';

const iso = (ms: number) => new Date(ms).toISOString();
/** The view's first day in this computer's time, for the saved file's name (2026-03-18). */
const fileDate = (ms: number) => new Date(ms).toLocaleDateString('sv-SE');

/**
 * Bars by their place in the view (an hour, a day, a month), so a missing bucket leaves a gap; last year's import
 * beside. Each kind of bar is one path (`data-bars` says how many it holds): a year by day is some 700 bars, and as
 * elements they cost the window more to lay out, paint and hit-test than the whole rest of the screen. The numbers
 * are in the table below; the drawing is hidden from screen readers.
 */
function Bars({ bar, range, buckets, lastYear, back }: { bar: Bar; range: { from: number; to: number }; buckets: HistoryBucketView[]; lastYear: HistoryBucketView[]; back: number }) {
  const max = Math.max(0.001, ...buckets.flatMap((b) => [b.importKwh, b.exportKwh]), ...lastYear.map((b) => b.importKwh));
  const w = 100 / slotCount(bar, range);
  // With last year beside: three bars a slot (last year, import, export); without: import and export.
  const [x0, bw] = lastYear.length > 0 ? [0.35, 0.28] : [0.1, 0.4];
  const path = (from: number, bs: HistoryBucketView[], offset: number, kwh: (b: HistoryBucketView) => number) =>
    bs.map((b) => `M${(slotOf(bar, from, b.start) * w + w * offset).toFixed(3)} 50v${(-(kwh(b) / max) * 48).toFixed(3)}h${(w * bw).toFixed(3)}V50z`).join('');
  return (
    <svg class="bars" viewBox="0 0 100 50" preserveAspectRatio="none" aria-hidden="true">
      {lastYear.length > 0 && <path class="last-year" data-bars={lastYear.length} d={path(back, lastYear, 0.07, (b) => b.importKwh)} />}
      <path class="import" data-bars={buckets.length} d={path(range.from, buckets, x0, (b) => b.importKwh)} />
      <path class="export" data-bars={buckets.length} d={path(range.from, buckets, x0 + bw, (b) => b.exportKwh)} />
    </svg>
  );
}

/** "previous week: 11 kWh; same week last year: 12 kWh", or that nothing is stored that far back. */
const hints = (span: EnergySpan, previous: string, lastYear: string | null) =>
  t('energy.hints', { previous: t('energy.previousHint', { span, value: previous }), lastYear: lastYear === null ? t('energy.lastYearNone', { span }) : t('energy.lastYearHint', { span, value: lastYear }) });

/** Longer tables (a year by day) are folded under their bars and built when opened: the bars come at once. */
const OPEN_ROWS = 31;

/** What a view shows: its buckets, the stretch before it (one total) and the same stretch a year before. */
interface Shown {
  /** The query they answer: the answers of another view are never drawn in this one's bars. */
  query: string;
  buckets: HistoryBucketView[];
  previous: HistoryBucketView[];
  lastYear: HistoryBucketView[];
}

export function Energy() {
  const { api, state } = useApp();
  const [span, setSpan] = useState<EnergySpan>('day');
  const [shift, setShift] = useState(0);
  const [yearBars, setYearBars] = useState<YearBars>('month');
  const [shown, setShown] = useState<Shown | null>(null);
  const [tableOpen, setTableOpen] = useState(false);
  const { error, run } = useCall();
  const [anchor] = useState(() => meterNow(state.readings, Date.now())); // the meter's clock, as Home (it runs fast in the demo)
  const bar = barOf(span, yearBars);
  const range = spanRange(span, anchor, shift);
  const before = spanRange(span, anchor, shift - 1);
  const back = yearBefore(span, range.from);
  const query = { bucket: bar, from: iso(range.from), to: iso(range.to) };
  const key = `${query.bucket} ${query.from}`;
  useEffect(() => {
    // The three asked at once and drawn once: the view is built a single time, not once per answer. A year's
    // previous stretch is the year before itself: its buckets are asked once.
    const previousIsLastYear = before.from === back.from && before.to === back.to;
    const all = Promise.all([api.getHistory(query), api.getHistory({ bucket: bar, from: iso(back.from), to: iso(back.to) }),
      previousIsLastYear ? null : api.getHistory({ bucket: 'year', from: iso(before.from), to: iso(before.to) })]).then(([now, lastYear, previous]): Reply<Shown> => {
      const lastYearBuckets = lastYear.ok ? lastYear.value : [];
      const previousBuckets = previous === null ? lastYearBuckets : previous.ok ? previous.value : [];
      return now.ok ? { ok: true, value: { query: key, buckets: now.value, previous: previousBuckets, lastYear: lastYearBuckets } } : now;
    });
    void run(all, setShown);
  }, [key]);
  const current = shown?.query === key ? shown : null; // null while this view's answers are on their way
  const buckets = current?.buckets ?? null;
  const lastYear = current?.lastYear ?? [];
  // The year before's bucket in each bar's place (a year by day: the same day of the year).
  const lastYearAt = new Map(lastYear.map((l) => [slotOf(bar, back.from, l.start), l]));
  const now = totalsOf(buckets ?? []);
  const p = totalsOf(current?.previous ?? []);
  const y = lastYear.length === 0 ? null : totalsOf(lastYear);
  const currency = state.tariff?.currency ?? 'EUR';
  const gas = now.gasM3 !== null;
  const water = now.waterM3 !== null;
  const table = (rows: HistoryBucketView[]) => (
    <table class="history">
      <caption>{t('energy.caption', { bar, title: spanTitle(span, range.from) })}</caption>
      <thead>
        <tr><th scope="col">{t('energy.barColumn', { bar })}</th><th scope="col">{t('energy.imported')}</th>{lastYear.length > 0 && <th scope="col">{t('energy.importedYearBefore')}</th>}<th scope="col">{t('energy.exported')}</th>
          {gas && <th scope="col">{t('energy.gas')}</th>}{water && <th scope="col">{t('energy.water')}</th>}<th scope="col">{t('energy.cost')}</th></tr>
      </thead>
      <tbody>
        {rows.map((b) => {
          const a = lastYearAt.get(slotOf(bar, range.from, b.start));
          return (
            <tr key={b.start}>
              <th scope="row">{barLabel(span, b.start, bar)}</th><td>{kwh(b.importKwh)}</td>{lastYear.length > 0 && <td>{a === undefined ? '—' : kwh(a.importKwh)}</td>}<td>{kwh(b.exportKwh)}</td>
              {gas && <td>{m3(b.gasM3 ?? 0)}</td>}{water && <td>{m3(b.waterM3 ?? 0)}</td>}
              <td>{b.costEstimate === null ? '—' : formatMoney(b.costEstimate, currency)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
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
        {span === 'year' && (
          <div role="group" aria-label={t('energy.yearBars')}>
            {YEAR_BARS.map((b) => (
              <button key={b} type="button" aria-pressed={b === yearBars} onClick={() => setYearBars(b)}>{t('energy.yearBy', { bar: b })}</button>
            ))}
          </div>
        )}
        <button type="button" class="secondary" disabled={buckets === null || buckets.length === 0}
          onClick={() => void run(api.exportHistoryCsv(query), (csv) => saveFile(`sipster-energy-${span}-${fileDate(range.from)}.csv`, csv, 'text/csv'))}>
          {t('energy.saveCsv')}
        </button>
      </div>
      <h2 aria-live="polite">{spanTitle(span, range.from)}</h2>
      <CallFailed error={error} />
      <div class="grid">
        <Stat label={t('energy.imported')} value={kwh(now.importKwh)} hint={hints(span, kwh(p.importKwh), y && kwh(y.importKwh))} />
        <Stat label={t('energy.exported')} value={kwh(now.exportKwh)} hint={hints(span, kwh(p.exportKwh), y && kwh(y.exportKwh))} />
        {gas && <Stat label={t('energy.gas')} value={m3(now.gasM3!)} hint={hints(span, m3(p.gasM3 ?? 0), y && m3(y.gasM3 ?? 0))} />}
        {water && <Stat label={t('energy.water')} value={m3(now.waterM3!)} />}
        <Stat label={t('energy.cost')} value={now.cost === null ? '—' : formatMoney(now.cost, currency)} hint={t('energy.costHint')} />
      </div>
      {now.seriesBreaks > 0 && <p class="note warn">{t('energy.seriesBreak')}</p>}
      <Card title={t('energy.perBar', { bar })}>
        {buckets === null ? <p class="muted">{t('common.loading')}</p> : buckets.length === 0 ? <p class="muted">{t('energy.none', { span })}</p> : (
          <>
            <Bars bar={bar} range={range} buckets={buckets} lastYear={lastYear} back={back.from} />
            <p class="muted legend">{lastYear.length > 0 && <><span class="key last-year" /> {t('energy.legend.yearBefore')} </>}<span class="key import" /> {t('energy.legend.imported')} <span class="key export" /> {t('energy.legend.exported')}</p>
            {buckets.length > OPEN_ROWS
              ? <details open={tableOpen} onToggle={(e) => setTableOpen(e.currentTarget.open)}><summary>{t('chart.table.summary')}</summary>{tableOpen && table(buckets)}</details>
              : table(buckets)}
          </>
        )}
      </Card>
    </>
  );
}
