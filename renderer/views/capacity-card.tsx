/**
 * Belgium's capacity tariff on Home: this month's quarter-hour peak, the running quarter-hour and where it heads.
 * The warning is words with role="alert" (not a colour alone), said when the projection goes above the month's peak.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CapacityView } from '../../main/api/index.js';
import { formatPower } from '../state/format.js';
import { useApp } from './context.js';
import { Card } from './parts.js';

/** How often the card asks again: a quarter-hour moves slowly, a telegram comes every second. */
const REFRESH_MS = 10_000;

const kw = (x: number) => formatPower(x * 1000);
const time = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const from = (c: CapacityView['monthPeak'] | CapacityView['quarter']) => (c?.source === 'meter' ? 'as the meter reports it' : 'from the import register');

export function CapacityCard() {
  const { api } = useApp();
  const [capacity, setCapacity] = useState<CapacityView | null>(null);
  useEffect(() => {
    const ask = () => void api.getCapacity().then((r) => { if (r.ok) setCapacity(r.value); });
    ask();
    const timer = setInterval(ask, REFRESH_MS);
    return () => clearInterval(timer);
  }, [api]);
  if (capacity === null || capacity.quarter === null) return null;
  const { monthPeak: peak, quarter } = capacity;
  return (
    <Card title="Capacity peak">
      <dl>
        <dt>This month's peak</dt>
        <dd>{peak === null ? 'no full quarter-hour yet' : `${kw(peak.kw)}${peak.at === null ? '' : `, ${time(peak.at)}`} (${from(peak)})`}</dd>
        <dt>This quarter-hour</dt>
        <dd>{`${kw(quarter.averageKw)} so far, heading for ${kw(quarter.projectedKw)} (${from(quarter)})`}</dd>
      </dl>
      {capacity.headingAbovePeak && peak !== null && (
        <div class="note warn" role="alert">
          <p><strong>This quarter-hour is heading above this month's peak</strong> ({kw(quarter.projectedKw)} against {kw(peak.kw)}). Using less until {new Date(Date.parse(quarter.start) + 900_000).toLocaleTimeString('en-GB', { timeStyle: 'short' })} keeps the capacity charge where it is.</p>
        </div>
      )}
      <p class="muted">Belgium's capacity tariff charges the month's highest quarter-hour average power.</p>
    </Card>
  );
}
