/**
 * Belgium's capacity tariff on Home: this month's quarter-hour peak, the running quarter-hour and where it heads.
 * The warning is words with role="alert" (not a colour alone), said when the projection goes above the month's peak.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CapacityView } from '../../main/api/index.js';
import { rich, t } from '../i18n/index.js';
import { formatDate, formatPower } from '../state/format.js';
import { useApp } from './context.js';
import { Card } from './parts.js';

/** How often the card asks again: a quarter-hour moves slowly, a telegram comes every second. */
const REFRESH_MS = 10_000;

const kw = (x: number) => formatPower(x * 1000);
const time = (iso: string) => formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' });
const clock = (ms: number | string) => formatDate(ms, { timeStyle: 'short' });
const from = (c: CapacityView['monthPeak'] | CapacityView['quarter']) => t(c?.source === 'meter' ? 'capacity.fromMeter' : 'capacity.fromRegister');

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
    <Card title={t('capacity.title')}>
      <dl>
        <dt>{t('capacity.monthPeak')}</dt>
        <dd>{peak === null ? t('capacity.noQuarter') : t('capacity.peak', { power: kw(peak.kw), at: peak.at === null ? '' : `, ${time(peak.at)}`, source: from(peak) })}</dd>
        <dt>{t('capacity.quarter')}</dt>
        <dd>{t('capacity.quarterValue', { average: kw(quarter.averageKw), since: clock(quarter.start), projected: kw(quarter.projectedKw), source: from(quarter) })}</dd>
      </dl>
      {capacity.headingAbovePeak && peak !== null && (
        <div class="note warn" role="alert">
          <p>{rich('capacity.warning', { strong: (c) => <strong>{c}</strong> }, { projected: kw(quarter.projectedKw), peak: kw(peak.kw), until: clock(Date.parse(quarter.start) + 900_000) })}</p>
        </div>
      )}
      <p class="muted">{t('capacity.explain')}</p>
    </Card>
  );
}
