/**
 * Home: live power, today's and this period's use and cost, the period chart. All of it stays on this computer.
 * The period's cost is exact (its tokens × the value of one unit); today's is estimated from the readings and the
 * prices per kWh. "Today" is the meter's day (its clock runs fast in the demo).
 */
import { t } from '../i18n/index.js';
import { formatAgo, formatEnergy, formatMoney, formatPower, formatUnits, tokensCost } from '../state/format.js';
import { bucketStart, estimatedCost, meterNow, totals } from '../state/series.js';
import { currentPeriod } from '../state/store.js';
import { CapacityCard } from './capacity-card.js';
import { PeriodChart } from './chart.js';
import { useApp } from './context.js';
import { Advice, Card, Stat } from './parts.js';
import { SmallSetWarning } from './anonymity.js';

export function Home() {
  const { state } = useApp();
  const status = state.status!;
  const period = currentPeriod(state);
  const tariff = state.tariff;
  const offset = -new Date().getTimezoneOffset();
  const now = meterNow(state.readings, Date.now());
  const sums = totals(state.readings, now, offset);
  const todayCost = tariff === null ? null : estimatedCost(state.readings, bucketStart(now, 'day', offset), tariff.perKWh);
  const units = period?.tokens ?? 0;
  return (
    <>
      <h1>{t('nav.home')}</h1>
      {status.meter.state === 'disconnected' && <Advice code="meter-disconnected" />}
      <SmallSetWarning sets={status.utility.anonymitySets} />
      <div class="grid">
        <Stat label={t('home.powerNow')} value={sums.powerW === null ? '—' : formatPower(sums.powerW)}
          hint={`${sums.phasesW === null ? '' : `${sums.phasesW.map((w, i) => `L${i + 1} ${w === null ? '—' : formatPower(w)}`).join(' · ')}. `}${t('home.lastReading', { ago: formatAgo(sums.lastAt, Date.now()) })}`} />
        <Stat label={t('home.today')} value={formatEnergy(sums.todayWh)} {...(todayCost === null ? {} : { hint: t('home.todayHint', { cost: formatMoney(todayCost, tariff!.currency) }) })} />
        <Stat label={period === null ? t('home.thisPeriod') : t('home.period', { period: period.period })} value={formatEnergy(sums.periodWh)} />
        <Stat label={t('home.costPeriod')} value={tariff === null ? formatUnits(units) : tokensCost(units, tariff)}
          hint={period === null ? formatUnits(units) : t('home.costHint', { units: formatUnits(units), paid: period.paid, queued: period.queued })} />
      </div>
      <Card title={t('home.thisPeriod')}>
        <PeriodChart readings={state.readings} periodUnits={units} />
      </Card>
      <CapacityCard />
      <p class="muted">{t('home.privacy')}</p>
    </>
  );
}
