/**
 * The period chart (uPlot): energy per hour or day as bars with its estimated cost as a line, both the engine's
 * history buckets since `from` (the period's start), or power over time (the last 24 hours minute by minute from the
 * stored history, then the live readings). All of it is there after a restart.
 * Drag across the plot to zoom, double-click to reset; the range buttons do the same from the keyboard.
 * A table of the same numbers is there for screen readers.
 * @module
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import type { PowerMinuteView } from '../../main/api/index.js';
import { language, t } from '../i18n/index.js';
import { formatDate, formatEnergy, formatMoney, formatNumber } from '../state/format.js';
import { meterNow, powerSeries } from '../state/series.js';
import { useApp } from './context.js';
import { useHistory } from './use-history.js';

type Mode = 'hour' | 'day' | 'power';
const DAY_MS = 86_400_000;
const RANGES = [
  { id: 'all', label: 'chart.range.all', hours: null },
  { id: '7d', label: 'chart.range.7d', hours: 24 * 7 },
  { id: '24h', label: 'chart.range.24h', hours: 24 },
] as const;

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

const fromZero = (_u: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, max > 0 ? max * 1.1 : 1];

// uPlot would write dates in English with a 12-hour clock and numbers in the browser's locale: use the window's.
const when = (_u: uPlot, v: number | null) => (v === null ? '' : formatDate(v * 1000, { dateStyle: 'short', timeStyle: 'short' }));
const amount = (_u: uPlot, v: number | null) => (v === null ? '' : formatNumber(v, 0, 2));
const amounts = (_u: uPlot, splits: number[]) => splits.map((v) => formatNumber(v, 0, 2));
function times(_u: uPlot, splits: number[]): string[] {
  const step = (splits[1] ?? 0) - (splits[0] ?? 0);
  const midnight = (s: number) => new Date(s * 1000).getHours() === 0 && new Date(s * 1000).getMinutes() === 0;
  // Hours within a day; the day itself at midnight and when ticks are days apart.
  return splits.map((s) => formatDate(s * 1000, step < 86_400 && !midnight(s) ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short' }));
}

function options(mode: Mode, width: number, currency: string | null): uPlot.Options {
  const axis = { stroke: css('--muted'), grid: { stroke: css('--line'), width: 1 }, ticks: { stroke: css('--line') }, values: amounts };
  const bars = uPlot.paths.bars!({ size: [0.7, 40] });
  const series: uPlot.Series[] =
    mode === 'power'
      ? [{ label: t('chart.series.time'), value: when }, { label: t('chart.series.power'), stroke: css('--bar'), width: 1.5, points: { show: false }, value: amount }]
      : [
          { label: t('chart.series.time'), value: when },
          { label: t('chart.series.energy'), stroke: css('--bar'), fill: css('--bar'), paths: bars, points: { show: false }, value: amount },
          { label: t('chart.series.cost', { currency: currency ?? '' }), stroke: css('--line-2'), width: 2, scale: 'cost', points: { show: false }, value: amount },
        ];
  return {
    width,
    height: 280,
    series,
    cursor: { drag: { x: true, y: false } },
    // Bars and costs read from zero; power too (a baseline of 0 W says "nothing on").
    scales: { x: { time: true }, y: { range: fromZero }, cost: { range: fromZero } },
    axes: [{ ...axis, values: times }, { ...axis, label: mode === 'power' ? 'W' : 'kWh' }, ...(mode === 'power' ? [] : [{ ...axis, side: 1, scale: 'cost', label: currency ?? '', grid: { show: false } }])],
  };
}

/** `from`: the first bar's time (ms); `currency`: the tariff's, for the cost line (null until the tariff is loaded). */
export function PeriodChart({ from, currency }: { from: number; currency: string | null }) {
  const [mode, setMode] = useState<Mode>('hour');
  const [range, setRange] = useState<(typeof RANGES)[number]['id']>('all');
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const lang = language(); // the plot's legend and axis are in words: a new plot in a new language
  const { api, state } = useApp();
  const { readings } = state;
  const [stored, setStored] = useState<PowerMinuteView[]>([]);
  const buckets = useHistory(mode === 'power' ? null : { bucket: mode, from: new Date(from).toISOString() });

  // The stored minutes of the last 24 hours (by the meter's clock), read once each time power is chosen.
  useEffect(() => {
    if (mode !== 'power') return;
    const now = meterNow(readings, Date.now());
    void api.getPowerProfile(new Date(now - DAY_MS).toISOString(), new Date(now + 1000).toISOString()).then((r) => setStored(r.ok ? r.value : []));
  }, [mode]);

  const powerReadings = mode === 'power' ? readings : null; // the bars do not change with each reading: the buckets do
  const data = useMemo<uPlot.AlignedData>(() => {
    if (powerReadings !== null) return powerSeries(powerReadings, stored);
    const b = buckets ?? [];
    return [b.map((x) => Date.parse(x.start) / 1000), b.map((x) => x.importKwh), b.map((x) => x.costEstimate)];
  }, [powerReadings, stored, buckets]);

  // A new plot when the kind of chart changes; new data alone only updates it (cheap with 10,000+ points).
  useEffect(() => {
    const el = box.current!;
    const u = new uPlot(options(mode, el.clientWidth || 640, currency), data, el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth || 640, height: 280 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [mode, lang, currency]);

  useEffect(() => {
    const u = plot.current;
    if (u === null) return;
    u.setData(data);
    const xs = data[0];
    const hours = RANGES.find((r) => r.id === range)!.hours;
    const last = xs[xs.length - 1];
    if (hours !== null && last !== undefined) u.setScale('x', { min: last - hours * 3600, max: last });
  }, [data, range, lang, currency]);

  const s = mode === 'power' ? null : (buckets ?? []);
  const total = s === null ? 0 : s.reduce((a, b) => a + b.importKwh, 0) * 1000;
  const label =
    data[0].length === 0
      ? t('chart.label.empty')
      : mode === 'power'
        ? t('chart.label.power', { count: data[0].length })
        : t('chart.label.energy', { energy: formatEnergy(total), bucket: mode, count: data[0].length });

  return (
    <div>
      <div class="chart-controls">
        <div>
          <label for="chart-mode">{t('common.show')}</label>
          <select id="chart-mode" value={mode} onChange={(e) => setMode(e.currentTarget.value as Mode)}>
            <option value="hour">{t('chart.mode.hour')}</option>
            <option value="day">{t('chart.mode.day')}</option>
            <option value="power">{t('chart.mode.power')}</option>
          </select>
        </div>
        <div role="group" aria-label={t('chart.zoom')} class="row">
          {RANGES.map((r) => (
            <button key={r.id} type="button" class="secondary" aria-pressed={range === r.id} onClick={() => setRange(r.id)}>
              {t(r.label)}
            </button>
          ))}
        </div>
      </div>
      <div ref={box} class="chart" role="img" aria-label={label} data-points={data[0].length} />
      {s !== null && s.length > 0 && (
        <details>
          <summary>{t('chart.table.summary')}</summary>
          <table>
            <caption class="visually-hidden">{t('chart.table.caption', { bucket: mode })}</caption>
            <thead>
              <tr><th scope="col">{t('chart.table.bucket', { bucket: mode })}</th><th scope="col">{t('chart.table.energy')}</th><th scope="col">{t('chart.table.cost')}</th></tr>
            </thead>
            <tbody>
              {s.slice(-48).map((b) => (
                <tr key={b.start}>
                  <td>{formatDate(b.start, mode === 'hour' ? { dateStyle: 'short', timeStyle: 'short' } : { dateStyle: 'medium' })}</td>
                  <td>{formatEnergy(b.importKwh * 1000)}</td>
                  <td>{b.costEstimate === null || currency === null ? '—' : formatMoney(b.costEstimate, currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}
