/**
 * Home: live power, today's and this period's use and cost, the period chart. All of it stays on this computer.
 * Today's and this period's energy, and today's estimated cost, are the engine's stored history (the day's bucket,
 * the days since the period began), so they are whole on a meter that sends a telegram a second and after a
 * restart. The period's cost is exact (its tokens × the value of one unit). "Today" is the meter's day (its clock
 * runs fast in the demo).
 */
import { t } from '../i18n/index.js';
import { totalsOf, spanRange } from '../state/energy.js';
import { formatAgo, formatEnergy, formatMoney, formatPower, formatUnits, tokensCost } from '../state/format.js';
import { latest, meterNow } from '../state/series.js';
import { currentPeriod } from '../state/store.js';
import { CapacityCard } from './capacity-card.js';
import { PeriodChart } from './chart.js';
import { useApp } from './context.js';
import { Advice, Card, Stat } from './parts.js';
import { SmallSetWarning } from './anonymity.js';
import { useHistory } from './use-history.js';

const iso = (ms: number) => new Date(ms).toISOString();
/** Without a period begun, the chart shows this many days back. */
const DAYS_WITHOUT_PERIOD = 7;

export function Home() {
  const { state } = useApp();
  const status = state.status!;
  const period = currentPeriod(state);
  const tariff = state.tariff;
  const now = meterNow(state.readings, Date.now());
  const live = latest(state.readings);
  const day = spanRange('day', now);
  const periodFrom = period?.start == null ? null : Date.parse(period.start);
  const today = useHistory({ bucket: 'day', from: iso(day.from), to: iso(day.to) });
  const sincePeriod = useHistory(periodFrom === null ? null : { bucket: 'day', from: iso(periodFrom) });
  const todays = today === null ? null : totalsOf(today);
  const energy = (kwh: number | undefined) => (kwh === undefined ? '—' : formatEnergy(kwh * 1000));
  const todayCost = todays?.cost == null || tariff === null ? null : todays.cost;
  const units = period?.tokens ?? 0;
  return (
    <>
      <h1>{t('nav.home')}</h1>
      {status.meter.state === 'disconnected' && <Advice code="meter-disconnected" />}
      <SmallSetWarning sets={status.utility.anonymitySets} />
      <div class="grid">
        <Stat label={t('home.powerNow')} value={live.powerW === null ? '—' : formatPower(live.powerW)}
          hint={`${live.phasesW === null ? '' : `${live.phasesW.map((w, i) => `L${i + 1} ${w === null ? '—' : formatPower(w)}`).join(' · ')}. `}${t('home.lastReading', { ago: formatAgo(live.lastAt, Date.now()) })}`} />
        <Stat label={t('home.today')} value={energy(todays?.importKwh)} {...(todayCost === null ? {} : { hint: t('home.todayHint', { cost: formatMoney(todayCost, tariff!.currency) }) })} />
        <Stat label={period === null ? t('home.thisPeriod') : t('home.period', { period: period.period })} value={energy(sincePeriod === null ? undefined : totalsOf(sincePeriod).importKwh)} />
        <Stat label={t('home.costPeriod')} value={tariff === null ? formatUnits(units) : tokensCost(units, tariff)}
          hint={period === null ? formatUnits(units) : t('home.costHint', { units: formatUnits(units), paid: period.paid, queued: period.queued })} />
      </div>
      <Card title={t('home.thisPeriod')}>
        <PeriodChart from={periodFrom ?? spanRange('day', now, -DAYS_WITHOUT_PERIOD).from} currency={tariff?.currency ?? null} />
      </Card>
      <CapacityCard />
      <p class="muted">{t('home.privacy')}</p>
    </>
  );
}
