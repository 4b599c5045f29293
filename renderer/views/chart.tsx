/**
 * The period chart (uPlot): energy per hour or day as bars with the cost share as a line, or power over time (the
 * last 24 hours minute by minute from the stored history, so it is there after a restart, then the live readings).
 * Drag across the plot to zoom, double-click to reset; the range buttons do the same from the keyboard.
 * A table of the same numbers is there for screen readers.
 * @module
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import type { PowerMinuteView, ReadingView } from '../../main/api/index.js';
import { formatEnergy } from '../state/format.js';
import { energySeries, meterNow, powerSeries, type Bucket } from '../state/series.js';
import { useApp } from './context.js';

type Mode = Bucket | 'power';
const DAY_MS = 86_400_000;
const RANGES = [
  { id: 'all', label: 'Whole period', hours: null },
  { id: '7d', label: 'Last 7 days', hours: 24 * 7 },
  { id: '24h', label: 'Last 24 hours', hours: 24 },
] as const;

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

const fromZero = (_u: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, max > 0 ? max * 1.1 : 1];

function options(mode: Mode, width: number): uPlot.Options {
  const axis = { stroke: css('--muted'), grid: { stroke: css('--line'), width: 1 }, ticks: { stroke: css('--line') } };
  const bars = uPlot.paths.bars!({ size: [0.7, 40] });
  const series: uPlot.Series[] =
    mode === 'power'
      ? [{}, { label: 'Power (W)', stroke: css('--bar'), width: 1.5, points: { show: false } }]
      : [
          {},
          { label: 'Energy (kWh)', stroke: css('--bar'), fill: css('--bar'), paths: bars, points: { show: false } },
          { label: 'Cost (units, estimated)', stroke: css('--line-2'), width: 2, scale: 'units', points: { show: false } },
        ];
  return {
    width,
    height: 280,
    series,
    cursor: { drag: { x: true, y: false } },
    // Bars and costs read from zero; power too (a baseline of 0 W says "nothing on").
    scales: { x: { time: true }, y: { range: fromZero }, units: { range: fromZero } },
    axes: [axis, { ...axis, label: mode === 'power' ? 'W' : 'kWh' }, ...(mode === 'power' ? [] : [{ ...axis, side: 1, scale: 'units', label: 'units', grid: { show: false } }])],
  };
}

export function PeriodChart({ readings, periodUnits }: { readings: ReadingView[]; periodUnits: number }) {
  const [mode, setMode] = useState<Mode>('hour');
  const [range, setRange] = useState<(typeof RANGES)[number]['id']>('all');
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const offset = -new Date().getTimezoneOffset();
  const { api } = useApp();
  const [stored, setStored] = useState<PowerMinuteView[]>([]);

  // The stored minutes of the last 24 hours (by the meter's clock), read once each time power is chosen.
  useEffect(() => {
    if (mode !== 'power') return;
    const now = meterNow(readings, Date.now());
    void api.getPowerProfile(new Date(now - DAY_MS).toISOString(), new Date(now + 1000).toISOString()).then((r) => setStored(r.ok ? r.value : []));
  }, [mode]);

  const data = useMemo<uPlot.AlignedData>(() => {
    if (mode === 'power') return powerSeries(readings, stored);
    const s = energySeries(readings, mode, offset, periodUnits);
    return [s.t, s.kwh, s.units];
  }, [readings, stored, mode, periodUnits, offset]);

  // A new plot when the kind of chart changes; new data alone only updates it (cheap with 10,000+ points).
  useEffect(() => {
    const el = box.current!;
    const u = new uPlot(options(mode, el.clientWidth || 640), data, el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth || 640, height: 280 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [mode]);

  useEffect(() => {
    const u = plot.current;
    if (u === null) return;
    u.setData(data);
    const xs = data[0];
    const hours = RANGES.find((r) => r.id === range)!.hours;
    const last = xs[xs.length - 1];
    if (hours !== null && last !== undefined) u.setScale('x', { min: last - hours * 3600, max: last });
  }, [data, range]);

  const s = mode === 'power' ? null : energySeries(readings, mode, offset, periodUnits);
  const total = s === null ? 0 : s.kwh.reduce((a, b) => a + b, 0) * 1000;
  const label =
    data[0].length === 0
      ? 'Chart: no readings yet'
      : mode === 'power'
        ? `Chart: power over ${data[0].length} readings`
        : `Chart: ${formatEnergy(total)} over ${data[0].length} ${mode === 'hour' ? 'hours' : 'days'}`;

  return (
    <div>
      <div class="chart-controls">
        <div>
          <label for="chart-mode">Show</label>
          <select id="chart-mode" value={mode} onChange={(e) => setMode(e.currentTarget.value as Mode)}>
            <option value="hour">Energy and cost per hour</option>
            <option value="day">Energy and cost per day</option>
            <option value="power">Power</option>
          </select>
        </div>
        <div role="group" aria-label="Zoom" class="row">
          {RANGES.map((r) => (
            <button key={r.id} type="button" class="secondary" aria-pressed={range === r.id} onClick={() => setRange(r.id)}>
              {r.label}
            </button>
          ))}
        </div>
      </div>
      <div ref={box} class="chart" role="img" aria-label={label} data-points={data[0].length} />
      {s !== null && s.t.length > 0 && (
        <details>
          <summary>The same numbers as a table</summary>
          <table>
            <caption class="visually-hidden">Energy and estimated cost per {mode}</caption>
            <thead>
              <tr><th scope="col">{mode === 'hour' ? 'Hour' : 'Day'}</th><th scope="col">Energy</th><th scope="col">Cost (units, est.)</th></tr>
            </thead>
            <tbody>
              {s.t.slice(-48).map((t, i, arr) => {
                const j = s.t.length - arr.length + i;
                return (
                  <tr key={t}>
                    <td>{new Date(t * 1000).toLocaleString(undefined, mode === 'hour' ? { dateStyle: 'short', timeStyle: 'short' } : { dateStyle: 'medium' })}</td>
                    <td>{formatEnergy(s.kwh[j]! * 1000)}</td>
                    <td>{s.units[j]!.toFixed(1)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}
